// The DQN seeds TorchSharp's global RNG (torch.manual_seed) and sets its process-wide thread count; test classes run in
// parallel could draw from that RNG between another search's seeding and its network initialisation, so two
// identically seeded searches differed (seen once in a clean-clone CI run). Search tests therefore run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
