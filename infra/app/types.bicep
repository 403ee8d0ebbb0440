// Shared types. Keeping the Mirror settings in one typed object makes bicep itself refuse a template that
// forgets one of them; tests/DriverFunctions.Infra.Tests checks the list against MirrorOptions.

@export()
@description('The `Mirror` section of the app settings: one `Mirror__<Name>` setting per property of MirrorOptions.')
type mirrorSettings = {
  @description('Web root container (public when publicWebRoot).')
  containerName: string

  @description('Table of driver records.')
  tableName: string

  @description('Queue of sync requests.')
  queueName: string

  @description('NCRONTAB schedule of the mirror timer (six fields, seconds first).')
  schedule: string

  @description('Largest archive accepted, in bytes.')
  maxArtifactBytes: int

  @description('Comma-separated CIDRs the egress guard lets through although private; empty in Azure.')
  allowedNetworks: string

  @description('Public URL serving the web root (CDN / Front Door); empty means the container URL.')
  publicBaseUrl: string

  @description('Drivers synced at once by one CLI run.')
  parallelism: int

  @description('Most redirects followed for one download.')
  maxRedirects: int

  @description('Time to connect and receive headers (TimeSpan, hh:mm:ss).')
  connectTimeout: string

  @description('Time for one whole download (TimeSpan, hh:mm:ss).')
  downloadTimeout: string
}
