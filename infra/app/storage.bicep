// The storage account is both the Functions host's storage (AzureWebJobsStorage) and the mirror's data:
// the public web root container, the private staging container, the driver table and the sync queue.
// Every access from the app is by managed identity: shared keys are off.

@description('Storage account name (3-24 lowercase letters and digits).')
param name string

param location string
param tags object

@description('''The web root container Rancher downloads from. With `publicWebRoot` its blobs are readable anonymously
(never listable); without it the container is private and a CDN / Front Door origin must serve it.''')
param webRootContainerName string

@description('Private container where the publisher stages artifacts before they pass every check.')
param stagingContainerName string

@description('Private container the Flex Consumption app is deployed from.')
param deploymentContainerName string

@description('Table of driver records.')
param tableName string

@description('Queue of sync requests.')
param queueName string

@description('Serve the web root container anonymously (blob reads only). False keeps all anonymous access off.')
param publicWebRoot bool

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Keys and SAS off: the app, azd's deployment and operators all use Entra ID (RBAC).
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    // On only because the web root must be public: Rancher downloads driver archives with a plain,
    // anonymous HTTP GET. The account setting merely permits it; only the web root container opts in,
    // at blob level (no listing). With publicWebRoot = false nothing is anonymous and a CDN / Front Door
    // origin serves the container instead (Mirror__PublicBaseUrl points Rancher there).
    allowBlobPublicAccess: publicWebRoot
    // Rancher servers anywhere must reach the web root; there is no network to restrict it to.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: false
      services: {
        blob: { enabled: true, keyType: 'Account' }
        file: { enabled: true, keyType: 'Account' }
        table: { enabled: true, keyType: 'Account' }
        queue: { enabled: true, keyType: 'Account' }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
  properties: {
    // A deleted artifact or index can be brought back for a week: Rancher servers keep pointing at them.
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource webRootContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: webRootContainerName
  properties: {
    // 'Blob', never 'Container': anonymous clients may read a blob they know the URL of, not list the container.
    publicAccess: publicWebRoot ? 'Blob' : 'None'
  }
}

resource stagingContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: stagingContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource driverTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = {
  parent: tableService
  name: tableName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource requestQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: queueName
}

// The Functions host moves a message here after maxDequeueCount failures (host.json); created up front so
// operators can watch it from the first deployment.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = {
  parent: queueService
  name: '${queueName}-poison'
}

output name string = storage.name
output webRootUrl string = '${storage.properties.primaryEndpoints.blob}${webRootContainer.name}/'
