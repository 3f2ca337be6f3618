// `mpirun -np N faultline run ...` with Open MPI's real mpirun (issue 17's must-holds),
// small and bounded in time: one rank and two ranks (oversubscribed on this 2-core
// machine) write the bytes of one process — plain, sequential precision over a sweep,
// and a shard run by ranks; a unit failing on rank 1, a rank that cannot start, ranks of
// different studies, and a rank killed mid-run each end the job with a message that
// says so and nothing written. Built only when CMake finds MPI; the command runs as
// root in CI, so it carries Open MPI's two variables that allow that.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <regex>
#include <thread>

#include "../e2e/cli_fixture.h"

namespace {

using namespace faultline::e2e;
using namespace std::chrono_literals;

const std::string kSweep = "tests/data/sweep.yaml";  // 4 points × 2 strategies × 3 replications

// mpirun as root needs the first two; LeakSanitizer (asan preset) is told about Open MPI's
// own allocations at exit, and nothing else (mpi-lsan.supp). Its suppressions name
// libraries, so Open MPI's and PMIx's components must stay loaded until the leak check and
// stacks be unwound in full: else the frames are "<unknown module>" and match nothing.
const std::string kEnv =
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
    "OMPI_MCA_mca_base_component_disable_dlclose=1 "
    "PMIX_MCA_mca_base_component_disable_dlclose=1 "
    "LSAN_OPTIONS=suppressions=" FAULTLINE_SOURCE_DIR
    "/tests/scaleout/mpi-lsan.supp:fast_unwind_on_malloc=0";

class Mpi : public Cli {
 protected:
  // The shell command of `mpirun LAUNCH faultline ARGS` from the source tree.
  std::string command(const std::string& launch, const std::string& args) {
    return "cd '" FAULTLINE_SOURCE_DIR "' && env " + kEnv + " '" MPIEXEC "' " + launch + " '" +
           FAULTLINE_BINARY "' " + args + " >'" + file("stdout") + "' 2>'" + file("stderr") +
           "' </dev/null";
  }
  CliResult mpirun(const std::string& launch, const std::string& args) {
    const int status = std::system(command(launch, args).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(file("stdout")),
            slurp(file("stderr"))};
  }
  void expect_same_outputs(const std::string& a, const std::string& b) {
    for (const char* name : {"results.json", "runs.jsonl", "results.csv"}) {
      const std::string x = slurp(file(a) + "/" + name);
      EXPECT_FALSE(x.empty()) << a << "/" << name;
      EXPECT_TRUE(x == slurp(file(b) + "/" + name)) << a << " and " << b << " differ in " << name;
    }
  }
  // Nothing of a failed job: no outputs and no temporaries.
  void expect_nothing_written(const std::string& folder) {
    if (!fs::exists(dir_ / folder)) return;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / folder))
      ADD_FAILURE() << "a failed job left " << entry.path();
  }
};

TEST_F(Mpi, OneRankAndTwoRanksWriteTheBytesOfOneProcess) {
  ASSERT_EQ(run("run " + kSweep + " --out " + file("whole")).exit_code, 0);
  const CliResult one = mpirun("-np 1", "run " + kSweep + " --out " + file("np1"));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const CliResult two = mpirun("-np 2 --oversubscribe", "run " + kSweep + " --out " + file("np2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.err.find("× 2 ranks"), std::string::npos) << two.err;
  // Two threads in each rank (--bind-to none: mpirun would bind each rank to one core).
  const CliResult threads = mpirun("-np 2 --oversubscribe --bind-to none",
                                   "run " + kSweep + " --jobs 2 --out " + file("np2j2"));
  ASSERT_EQ(threads.exit_code, 0) << threads.err;
  expect_same_outputs("whole", "np1");
  expect_same_outputs("whole", "np2");
  expect_same_outputs("whole", "np2j2");
  // Rank 0 alone prints: the table of one process, apart from where the results went.
  const auto table = [](const std::string& text) {
    return std::regex_replace(text, std::regex("results: [^\n]*\n"), "");
  };
  EXPECT_EQ(table(two.out), table(one.out));
}

TEST_F(Mpi, SequentialPrecisionOverASweepAcrossRanksWritesTheBytesOfOneProcess) {
  const std::string study = kSweep +
                            " --replications 2 --until-ci-halfwidth missed_payment_rate=0.05% "
                            "--max-replications 6";
  ASSERT_EQ(run("run " + study + " --out " + file("whole")).exit_code, 0);
  const CliResult two = mpirun("-np 2 --oversubscribe", "run " + study + " --out " + file("np2"));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.err.find("extending to"), std::string::npos) << "more than one round" << two.err;
  expect_same_outputs("whole", "np2");
}

TEST_F(Mpi, AShardRunByRanksMergesWithOneRunByAProcess) {
  ASSERT_EQ(run("run " + kSweep + " --out " + file("whole")).exit_code, 0);
  const CliResult ranks =
      mpirun("-np 2 --oversubscribe", "run " + kSweep + " --shard 1/2 --out " + file("shards"));
  ASSERT_EQ(ranks.exit_code, 0) << ranks.err;
  ASSERT_EQ(run("run " + kSweep + " --shard 2/2 --out " + file("shards")).exit_code, 0);
  ASSERT_EQ(run("merge " + file("shards") + " --out " + file("merged")).exit_code, 0);
  expect_same_outputs("whole", "merged");
}

TEST_F(Mpi, AUnitFailingOnRankOneEndsTheJobNamingItAndNothingIsWritten) {
  // Point 1 cannot finish within its event limit. Units go out in order, one per free
  // thread: rank 0 takes point 0, rank 1 point 1.
  std::ofstream(file("limit.yaml"))
      << slurp(FAULTLINE_SOURCE_DIR "/tests/data/small.yaml")
      << "limits: {max_events: 100000000}\nsweep:\n  limits.max_events: [100000000, 1000]\n";
  const CliResult r = mpirun("-np 2 --oversubscribe", "run " + file("limit.yaml") +
                                                          " --replications 1 --out " + file("out"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("faultline run: rank 1 on "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unit (point 1, replication 0"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("limits.max_events"), std::string::npos) << r.err;
  expect_nothing_written("out");
}

TEST_F(Mpi, ARankThatCannotStartEndsTheJobWithItsReason) {
  // Open MPI's MPMD form gives rank 1 its own command line.
  const std::string ok = "run " + kSweep + " --out " + file("out");
  const CliResult r = mpirun("-np 1 --oversubscribe '" FAULTLINE_BINARY "' " + ok + " : -np 1",
                             "run " + kSweep + " --jobs 0 --out " + file("out2"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("[rank 1 on "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--jobs must be at least 1"), std::string::npos) << r.err;
  expect_nothing_written("out2");
  const CliResult other = mpirun("-np 1 --oversubscribe '" FAULTLINE_BINARY "' run " + kSweep +
                                     " --out " + file("out3") + " : -np 1",
                                 "run " + kSweep + " --seed 8 --out " + file("out3"));
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_NE(other.err.find("rank 1 read another study than rank 0"), std::string::npos)
      << other.err;
  expect_nothing_written("out3");
}

// The pid of the process with OMPI_COMM_WORLD_RANK=`rank` whose command line holds
// `marker`, or 0.
pid_t find_rank(int rank, const std::string& marker) {
  const std::string want = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = slurp(entry.path() / "cmdline");
    if (cmdline.find(marker) == std::string::npos || cmdline.find("faultline") == std::string::npos)
      continue;
    const std::string environ = slurp(entry.path() / "environ");
    if (environ.find(want + '\0') != std::string::npos) return std::stoi(name);
  }
  return 0;
}

TEST_F(Mpi, ARankKilledMidRunEndsTheJobAndNothingIsWritten) {
  // 400 replications: still running 2 s in, when rank 1 dies, in any build — a release
  // build takes ~1.5 s for 40 on one core, and with 40 the job was over before the kill.
  // The job is killed either way, so more replications do not make the test longer.
  const std::string out = file("killed-run");
  const pid_t shell = fork();
  if (shell == 0) {
    execl("/bin/sh", "sh", "-c",
          command("-np 2 --oversubscribe", "run " + kSweep + " --replications 400 --out " + out)
              .c_str(),
          nullptr);
    _exit(127);
  }
  pid_t rank1 = 0;
  for (auto until = std::chrono::steady_clock::now() + 60s;
       rank1 == 0 && std::chrono::steady_clock::now() < until;)
    if ((rank1 = find_rank(1, out)) == 0) std::this_thread::sleep_for(50ms);
  ASSERT_NE(rank1, 0) << "rank 1 never started";
  std::this_thread::sleep_for(2s);  // past startup: units are running
  ASSERT_EQ(::kill(rank1, SIGKILL), 0);
  int status = 0;
  bool ended = false;
  for (auto until = std::chrono::steady_clock::now() + 60s;
       std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(50ms))
    if (waitpid(shell, &status, WNOHANG) == shell) {
      ended = true;
      break;
    }
  if (!ended) {
    ::kill(shell, SIGKILL);
    if (const pid_t rank0 = find_rank(0, out)) ::kill(rank0, SIGKILL);
    waitpid(shell, &status, 0);
  }
  ASSERT_TRUE(ended) << "the job did not end after rank 1 died";
  EXPECT_NE(WIFEXITED(status) ? WEXITSTATUS(status) : 1, 0);
  const std::string err = slurp(file("stderr"));
  EXPECT_NE(err.find("rank 1"), std::string::npos) << err;
  EXPECT_NE(err.find("signal 9"), std::string::npos) << err;
  expect_nothing_written("killed-run");
}

}  // namespace
