// DriverFunctions on Azure: `azd up` deploys this template, then the app in src/DriverFunctions.
// See "Deploy to Azure" in README.md for what it creates and what it costs.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer Flex Consumption (`az functionapp list-flexconsumption-locations`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('''Serve the web root container anonymously from the storage account (blob reads, never listing), so Rancher
can download drivers with a plain GET. False keeps every anonymous access off: front the container with a CDN or
Front Door origin that can read it and set publicBaseUrl to that endpoint.''')
param publicWebRoot bool = true

@description('''Public URL Rancher downloads from when a CDN / Front Door fronts the web root (Mirror__PublicBaseUrl); empty
means the container URL. Required when publicWebRoot is false: the container URL then serves nobody anonymous.''')
param publicBaseUrl string = ''

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the Flex Consumption plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('NCRONTAB schedule of the mirror timer (Mirror__Schedule, six fields, seconds first).')
param mirrorSchedule string = '0 0 */6 * * *'

@description('Largest archive the mirror accepts, in bytes (Mirror__MaxArtifactBytes).')
@minValue(1024)
param mirrorMaxArtifactBytes int = 536870912

@description('CIDRs the egress guard lets through although private (Mirror__AllowedNetworks); keep empty in Azure.')
param mirrorAllowedNetworks string = ''

@description('Drivers one CLI sync runs at once (Mirror__Parallelism).')
@minValue(1)
@maxValue(64)
param mirrorParallelism int = 4

@description('Most redirects followed for one download (Mirror__MaxRedirects).')
@minValue(0)
@maxValue(20)
param mirrorMaxRedirects int = 5

@description('Time to connect to an upstream and receive its headers, hh:mm:ss (Mirror__ConnectTimeout).')
param mirrorConnectTimeout string = '00:00:30'

@description('''Time for one whole download, hh:mm:ss (Mirror__DownloadTimeout). Keep it shorter than host.json's
functionTimeout (00:30:00), so a slow download is recorded as failed rather than killed with its function.''')
param mirrorDownloadTimeout string = '00:20:00'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
// Names known before deployment (not module outputs), so What-If can predict every resource id.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'

// A private web root published under its own container URL would hand Rancher URLs it cannot download: refuse
// the combination before anything is deployed (ARM evaluates the variable when it validates the template).
var checkedPublicBaseUrl = !publicWebRoot && empty(publicBaseUrl)
  ? fail('publicWebRoot is false but publicBaseUrl is empty: anonymous readers could not fetch the container URL the app would publish. Set publicBaseUrl (MIRROR_PUBLIC_BASE_URL) to the CDN / Front Door endpoint that serves the web root, or keep publicWebRoot true.')
  : publicBaseUrl

// Names of the mirror's storage resources: the defaults of MirrorOptions, so the app needs no override.
var webRootContainerName = 'drivers'
var mirror = {
  containerName: webRootContainerName
  tableName: 'drivers'
  queueName: 'mirror-requests'
  schedule: mirrorSchedule
  maxArtifactBytes: mirrorMaxArtifactBytes
  allowedNetworks: mirrorAllowedNetworks
  publicBaseUrl: checkedPublicBaseUrl
  parallelism: mirrorParallelism
  maxRedirects: mirrorMaxRedirects
  connectTimeout: mirrorConnectTimeout
  downloadTimeout: mirrorDownloadTimeout
}

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    publicWebRoot: publicWebRoot
    webRootContainerName: mirror.containerName
    stagingContainerName: '${mirror.containerName}-staging'
    deploymentContainerName: deploymentContainerName
    tableName: mirror.tableName
    queueName: mirror.queueName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    principalId: identity.outputs.principalId
  }
  dependsOn: [
    storage
    monitoring
  ]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: applicationInsightsName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    mirror: mirror
  }
  // The host reads storage with its identity the moment it starts: grant the roles first.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${api.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
// Where Rancher downloads from: the CDN / Front Door endpoint when one fronts the web root, else the container.
var webRootUrl = empty(checkedPublicBaseUrl)
  ? storage.outputs.webRootUrl
  : (endsWith(checkedPublicBaseUrl, '/') ? checkedPublicBaseUrl : '${checkedPublicBaseUrl}/')
output MIRROR_WEB_ROOT_URL string = webRootUrl
output MIRROR_INDEX_URL string = '${webRootUrl}index.json'
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
