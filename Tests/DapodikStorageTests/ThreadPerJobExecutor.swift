import DapodikStorage
import Foundation

/// A task executor that runs every job on a thread of its own, for tasks whose commits block in a
/// test's flush hook (``FlushGate``).
///
/// A commit leads its group on its caller's thread (issue 15), so a flush hook that waits for the
/// test blocks whichever thread runs that task. On Swift's cooperative pool (as wide as the machine
/// has cores, two here) two such waits at once, from tests running in parallel, would leave no
/// thread for the tasks that end them. Tasks started with this executor as their preference block
/// a thread of their own instead.
final class ThreadPerJobExecutor: TaskExecutor {
    static let shared = ThreadPerJobExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}

/// Starts a commit in a task that may block in a flush hook without taking a thread of the
/// cooperative pool (``ThreadPerJobExecutor``).
func blockingCommit(_ store: FileRecordStore, _ mutation: Mutation) -> Task<UInt64, any Error> {
    Task(executorPreference: ThreadPerJobExecutor.shared) { try await store.commit(mutation) }
}
