return AdaDeep.Bench.BenchApp.Run(args);
