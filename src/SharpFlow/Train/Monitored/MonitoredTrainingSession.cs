using SharpFlow.Execution;

namespace SharpFlow.Train.Monitored;

/// <summary>
/// TensorFlow's <c>MonitoredTrainingSession</c> (monitored_session.py): a <see cref="MonitoredSession"/> for training
/// with the chief's standard hooks.
/// </summary>
internal static class MonitoredTrainingSession
{
    /// <summary>
    /// The "use TensorFlow's default" marker of the save arguments (null turns a saver off, as Python's None does).
    /// </summary>
    public const int UseDefault = int.MinValue;

    /// <summary>
    /// The chief restores the newest checkpoint of <paramref name="checkpointDir"/> (or initialises), and gets a
    /// StepCounterHook (every <paramref name="logStepCountSteps"/> steps), a SummarySaverHook (every 100 steps by
    /// default) and a CheckpointSaverHook (every 600 seconds by default) writing into <paramref name="checkpointDir"/>,
    /// then <paramref name="chiefOnlyHooks"/> and <paramref name="hooks"/>; other workers only wait for the model
    /// and run <paramref name="hooks"/>.
    /// </summary>
    public static MonitoredSession Create(string master = "", bool isChief = true, string? checkpointDir = null,
        Scaffold? scaffold = null, IEnumerable<SessionRunHook>? hooks = null, IEnumerable<SessionRunHook>? chiefOnlyHooks = null,
        double? saveCheckpointSecs = UseDefault, long? saveSummariesSteps = UseDefault, double? saveSummariesSecs = UseDefault,
        ConfigProto? config = null, double stopGracePeriodSecs = 120, int? logStepCountSteps = 100, double maxWaitSecs = 7200,
        long? saveCheckpointSteps = UseDefault, string? summaryDir = null)
    {
        if (saveSummariesSteps == UseDefault && saveSummariesSecs == UseDefault)
        {
            saveSummariesSteps = 100;
            saveSummariesSecs = null;
        }
        else if (saveSummariesSecs == UseDefault) saveSummariesSecs = null;
        else if (saveSummariesSteps == UseDefault) saveSummariesSteps = null;

        if (saveCheckpointSteps == UseDefault && saveCheckpointSecs == UseDefault)
        {
            saveCheckpointSteps = null;
            saveCheckpointSecs = 600;
        }
        else if (saveCheckpointSecs == UseDefault) saveCheckpointSecs = null;
        else if (saveCheckpointSteps == UseDefault) saveCheckpointSteps = null;

        scaffold ??= new Scaffold();
        if (!isChief)
            return new MonitoredSession(new WorkerSessionCreator(scaffold, master, config, maxWaitSecs), hooks, stopGracePeriodSecs);

        var all = new List<SessionRunHook>();
        if (chiefOnlyHooks is not null) all.AddRange(chiefOnlyHooks);
        var creator = new ChiefSessionCreator(scaffold, master, config, checkpointDir);
        summaryDir ??= checkpointDir;
        if (summaryDir is not null)
        {
            if (logStepCountSteps is > 0) all.Add(new StepCounterHook(every_n_steps: logStepCountSteps, output_dir: summaryDir));
            if (saveSummariesSteps is > 0 || saveSummariesSecs is > 0)
                all.Add(new SummarySaverHook(save_steps: saveSummariesSteps is > 0 ? saveSummariesSteps : null,
                    save_secs: saveSummariesSteps is > 0 ? null : saveSummariesSecs, output_dir: summaryDir, scaffold: scaffold));
        }
        if (checkpointDir is not null && (saveCheckpointSecs is > 0 || saveCheckpointSteps is > 0))
            all.Add(new CheckpointSaverHook(checkpointDir, save_secs: saveCheckpointSteps is > 0 ? null : saveCheckpointSecs,
                save_steps: saveCheckpointSteps is > 0 ? saveCheckpointSteps : null, scaffold: scaffold));
        if (hooks is not null) all.AddRange(hooks);
        return new MonitoredSession(creator, all, stopGracePeriodSecs);
    }
}
