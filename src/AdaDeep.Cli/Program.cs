// Started by a build (ADADEEP_PARENT_PID set): the tool ends when the build does, even one killed by SIGKILL.
using var watchdog = AdaDeep.Cli.ParentWatchdog.StartFromEnvironment();
return AdaDeep.Cli.CliApp.Run(args);
