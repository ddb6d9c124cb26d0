return AdaDeep.Cli.CliApp.Run(args);
