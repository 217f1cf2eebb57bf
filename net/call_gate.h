// CallGate: lets an owner stop calling user code (a server handler, a client
// callback) and wait until no call is still running on another thread. This
// is what makes it safe to destroy a server or client whose handler captures
// objects that die right after it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace cs::net {

class CallGate {
 public:
  // Runs fn() unless the gate is closed; returns whether it ran.
  template <typename F>
  bool Call(F&& fn) {
    if (!Enter()) return false;
    struct Leaver {
      CallGate* gate;
      ~Leaver() { gate->Leave(); }
    } leaver{this};
    fn();
    return true;
  }

  // After Close() returns no call runs or will run, except one on the calling
  // thread itself (an owner destroyed from inside its own callback).
  void Close();
  bool closed() const;

 private:
  bool Enter();
  void Leave();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
  std::vector<std::thread::id> inside_;  // threads currently in a call
};

}  // namespace cs::net
