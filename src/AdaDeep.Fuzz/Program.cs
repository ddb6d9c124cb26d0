using AdaDeep.Fuzz;

return FuzzCommand.Run(args, Console.Out);
