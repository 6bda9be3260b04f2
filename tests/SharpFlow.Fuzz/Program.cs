using System.Diagnostics;
using SharpFlow.Fuzz;

// sharpflow-fuzz: the long fuzzing runs of tools/fuzz.sh (the default tests run the same targets for a few hundred
// mutations each).
//   corpus DIR                      writes every target's seed files to DIR/TARGET/
//   afl TARGET                      one AFL++ fuzzing process (SharpFuzz's out-of-process mode, instrumented assemblies)
//   replay TARGET FILE...           reads saved inputs again and prints each outcome (a failure with its stack trace)
//   mutate TARGET|all [--runs N] [--seed S] [--findings DIR]
//                                   the built-in mutator: N mutated seeds per target; failures saved to DIR
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SharpFlow.Fuzz corpus DIR | afl TARGET | replay TARGET FILE... | mutate TARGET|all [--runs N] [--seed S] [--findings DIR]");
    return 2;
}
switch (args[0])
{
    case "corpus" when args.Length == 2:
        foreach (var target in FuzzTargets.All)
        {
            var dir = Directory.CreateDirectory(Path.Combine(args[1], target.Name));
            var seeds = target.Seeds();
            for (var i = 0; i < seeds.Count; i++) File.WriteAllBytes(Path.Combine(dir.FullName, $"seed-{i}"), seeds[i]);
            Console.WriteLine($"{target.Name}: {seeds.Count} seed files, {seeds.Sum(s => s.Length):N0} bytes");
        }
        return 0;
    case "afl" when args.Length == 2:
    {
        var target = FuzzTargets.Get(args[1]);
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            FuzzRunner.Execute(target, copy.ToArray()); // a FuzzFailure escapes: AFL records the input as a crash
        });
        return 0;
    }
    case "replay" when args.Length >= 3:
    {
        var target = FuzzTargets.Get(args[1]);
        var failed = 0;
        foreach (var file in args.Skip(2))
        {
            try
            {
                var error = FuzzRunner.Execute(target, File.ReadAllBytes(file));
                Console.WriteLine($"{file}: {(error is null ? "accepted" : $"refused: {error.GetType().Name}: {error.Message}")}");
            }
            catch (FuzzFailure e)
            {
                failed++;
                Console.WriteLine($"{file}: FAILURE {e.Message}\n{e.InnerException}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
    case "mutate" when args.Length >= 2:
    {
        var runs = 10_000;
        var seed = 1;
        var findings = "fuzz-findings";
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--findings": findings = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }
        var targets = args[1] == "all" ? FuzzTargets.All : [FuzzTargets.Get(args[1])];
        var failures = 0;
        foreach (var target in targets)
        {
            var seeds = target.Seeds();
            var random = new Random(seed);
            var clock = Stopwatch.StartNew();
            int accepted = 0, refused = 0, failed = 0;
            for (var run = 0; run < runs; run++)
            {
                var mutations = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Mutator.Random(random)).ToList();
                var input = Mutator.Apply(seeds[random.Next(seeds.Count)], mutations);
                try
                {
                    if (FuzzRunner.Execute(target, input) is null) accepted++;
                    else refused++;
                }
                catch (FuzzFailure e)
                {
                    failed++;
                    Directory.CreateDirectory(findings);
                    var file = Path.Combine(findings, $"{target.Name}-{seed}-{run}");
                    File.WriteAllBytes(file, e.Input);
                    if (failed <= 5) Console.WriteLine($"{target.Name}: FAILURE ({string.Join("; ", mutations)}), saved to {file}: {e.Message}");
                }
            }
            failures += failed;
            Console.WriteLine($"{target.Name}: {runs:N0} executions in {clock.Elapsed.TotalSeconds:F1} s ({runs / clock.Elapsed.TotalSeconds:N0}/s): " +
                              $"{accepted:N0} accepted, {refused:N0} refused with an error, {failed:N0} failures");
        }
        return failures == 0 ? 0 : 1;
    }
    default:
        Console.Error.WriteLine($"unknown command '{string.Join(' ', args)}'");
        return 2;
}
