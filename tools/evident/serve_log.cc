#include "tools/evident/serve_log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace evident::cli {

StatusOr<std::function<void(const std::string&)>> MakeServeLog(const std::string& file) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (file.empty()) {
      logger = std::make_shared<spdlog::logger>(
          "serve", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      logger = std::make_shared<spdlog::logger>(
          "serve", std::make_shared<spdlog::sinks::basic_file_sink_mt>(file));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status::IOError("cannot open the log file " + file + ": " + e.what());
  }
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  return std::function<void(const std::string&)>([logger](const std::string& line) {
    const bool bad = line.find("refused") != std::string::npos ||
                     line.find("failed") != std::string::npos ||
                     line.find("closed after") != std::string::npos ||
                     line.find("internal error") != std::string::npos ||
                     line.find("did not cosign") != std::string::npos;
    logger->log(bad ? spdlog::level::warn : spdlog::level::info, "{}", line);
  });
}

}  // namespace evident::cli
