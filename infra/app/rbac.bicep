// Exactly the roles the app's identity needs, scoped to the one storage account and the one
// Application Insights component.

param storageAccountName string
param applicationInsightsName string

@description('Name of the app\'s user-assigned identity; seeds the assignment names, which must be known before deployment.')
param identityName string

@description('Principal (object) id of the app\'s user-assigned identity.')
param principalId string

// Built-in role definition ids (the same in every tenant):
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
// Each key is the role's name in camelCase; the infra tests check every id against that name.
var roles = {
  // Host leases and timer checkpoints, Flex deployment package, web root + staging blobs, committing blocks.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // mirror-requests and its poison queue (the trigger and the enqueueing HTTP/timer functions).
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // The drivers table.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Application Insights ingestion with local auth off.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoles: {
    name: guid(storage.id, identityName, roleId)
    scope: storage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource telemetryRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityName, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
