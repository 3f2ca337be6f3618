#include "sim/cli/failure.h"

#include <boost/program_options/errors.hpp>

#include "sim/cli/commands.h"
#include "sim/model/world.h"
#include "sim/output/atomic_file.h"
#include "sim/pipeline/experiment.h"
#include "sim/pipeline/resources.h"
#include "sim/scaleout/merge.h"
#include "sim/scenario/error.h"
#ifdef FAULTLINE_HAVE_MPI
#include "sim/scaleout/mpi_pool.h"
#endif

namespace faultline::cli {

int describe_failure(const std::string& command, std::string& message) {
  try {
    throw;
  } catch (const ScenarioError& e) {
    message = std::string(e.what()) + "\n";
    return kExitBadInput;
#ifdef FAULTLINE_HAVE_MPI
  } catch (const RankFailure& e) {
    message = "faultline " + command + ": " + e.what() + "\n";
    return e.exit_code;
#endif
  } catch (const std::exception& e) {
    // Bad usage (with the help hint) and other bad input: exit 2; anything else: 3.
    const bool usage = dynamic_cast<const UsageError*>(&e) ||
                       dynamic_cast<const OptionError*>(&e) ||
                       dynamic_cast<const boost::program_options::error*>(&e);
    if (usage || dynamic_cast<const OutputError*>(&e) || dynamic_cast<const RunLimitError*>(&e) ||
        dynamic_cast<const MergeError*>(&e) || dynamic_cast<const ResourceError*>(&e)) {
      message = "faultline " + command + ": " + e.what() +
                (usage ? " (see faultline " + command + " --help)" : std::string()) + "\n";
      return kExitBadInput;
    }
    message = "faultline " + command + ": internal error: " + e.what() +
              "\nplease report it with the scenario file and the seed\n";
    return kExitInternal;
  } catch (...) {
    message = "faultline " + command + ": internal error of unknown kind\n";
    return kExitInternal;
  }
}

}  // namespace faultline::cli
