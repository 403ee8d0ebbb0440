// The Flex Consumption plan and the function app: .NET isolated worker, user-assigned identity,
// identity-based AzureWebJobsStorage, the Mirror settings, and no publishing credentials.

import { mirrorSettings } from 'types.bicep'

param name string
param planName string
param location string
param tags object

@description('Resource id of the app\'s user-assigned identity.')
param identityId string

@description('Client id of that identity (for AzureWebJobsStorage and Application Insights).')
param identityClientId string

param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string

@description('Functions worker runtime and version for Flex Consumption.')
param runtimeName string = 'dotnet-isolated'
param runtimeVersion string = '10.0'

@description('Memory of each instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Upper bound of instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

param mirror mirrorSettings

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd finds the app to deploy `services.api` to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Identity-based host storage: StorageClients.FromConfiguration reads the same section.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      // The host sends telemetry (the worker has no Application Insights SDK) and, local auth being off, signs in
      // as the identity named here. No AZURE_CLIENT_ID: every identity user is told its client id explicitly
      // (AzureWebJobsStorage__clientId for the host and StorageClients, this string for telemetry).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // The Mirror section (MirrorOptions), one setting per property.
      Mirror__ContainerName: mirror.containerName
      Mirror__TableName: mirror.tableName
      Mirror__QueueName: mirror.queueName
      Mirror__Schedule: mirror.schedule
      Mirror__MaxArtifactBytes: string(mirror.maxArtifactBytes)
      Mirror__AllowedNetworks: mirror.allowedNetworks
      Mirror__PublicBaseUrl: mirror.publicBaseUrl
      Mirror__Parallelism: string(mirror.parallelism)
      Mirror__MaxRedirects: string(mirror.maxRedirects)
      Mirror__ConnectTimeout: mirror.connectTimeout
      Mirror__DownloadTimeout: mirror.downloadTimeout
    }
  }

  // azd deploys with Entra ID; nobody needs FTP or SCM basic-auth credentials.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
