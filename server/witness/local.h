#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <utility>  // before asio (Boost 1.74 under C++20)
#include <vector>

#include "ledger/note.h"
#include "ledger/status.h"
#include "server/http/server.h"
#include "server/witness/witness.h"
#include "server/witnessing.h"

// Witnesses run inside another program, over HTTPS on loopback: the demo's
// county office and state agency, and the benchmark's (`evident witness` is
// the same code as a program of its own). Each keeps its key, a self-signed
// certificate and its state under DIR/witnesses/<who>/, and its vkey in
// DIR/witnesses/<who>.vkey, so a second run finds them as they were left.
namespace evident::server::witness {

struct LocalWitness {
  std::string who;          // "county", "state"
  std::string name;         // its cosigner name
  std::string vkey;         // its cosigner vkey, also in DIR/witnesses/<who>.vkey
  std::string url;          // https://127.0.0.1:PORT
  std::string cert_file;    // its self-signed certificate: what the ledger trusts
  std::unique_ptr<Witness> witness;
  std::unique_ptr<http::Server> http;
};

class LocalWitnesses {
 public:
  struct Who {
    std::string who;   // the folder's name, e.g. "county"
    std::string name;  // the cosigner name, e.g. "county-office.example/witness"
  };
  // Starts one witness for each of `who`, witnessing the log whose
  // checkpoint key is `log`, on a thread of their own.
  static StatusOr<std::unique_ptr<LocalWitnesses>> Start(const std::string& dir,
                                                         const std::vector<Who>& who,
                                                         const NoteVerifier& log);
  ~LocalWitnesses();  // stops them

  const std::vector<LocalWitness>& witnesses() const { return witnesses_; }
  // As `evident serve --witness` takes them.
  std::vector<WitnessEndpoint> Endpoints() const;
  // A reader's policy: all of them.
  WitnessPolicy Policy() const;

 private:
  LocalWitnesses() = default;
  boost::asio::io_context io_;
  std::vector<LocalWitness> witnesses_;
  std::thread thread_;
};

}  // namespace evident::server::witness
