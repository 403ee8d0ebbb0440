namespace DriverFunctions.Infra.Tests.Bicep;

/// <summary>One <c>bicep snapshot</c> run: what bicep printed, and the predicted deployment if the template accepted the parameters.</summary>
public sealed record SnapshotAttempt(BicepResult Result, PredictedDeployment? Deployment);
