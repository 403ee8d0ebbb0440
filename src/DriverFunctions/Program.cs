using DriverFunctions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// host.json is the one place queue retry settings live; the worker reads them too (see QueueRetrySettings).
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "host.json"), optional: true);
builder.Services.AddDriverFunctions(builder.Configuration);
builder.Build().Run();
