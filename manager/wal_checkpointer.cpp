#include "manager/wal_checkpointer.h"

namespace cs::manager {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path, sqlite3* writer,
                                                                std::mutex& writer_mu, Limits limits) {
  auto db = SqliteDb::Open(path, SqliteDb::Mode::kReadWrite, 5000);
  if (!db.ok()) return db.status();
  sqlite3_wal_autocheckpoint((*db)->raw(), 0);
  // Until this connection has read the database, its checkpoints do nothing.
  CS_RETURN_IF_ERROR((*db)->Exec("SELECT count(*) FROM sqlite_schema"));
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(std::move(*db), writer, writer_mu, limits));
  c->due_at_ = limits.checkpoint_frames;
  c->forced_at_ = limits.forced_frames;
  {
    // The hook replaces SQLite's automatic checkpoint (which is a WAL hook).
    std::lock_guard<std::mutex> w(writer_mu);
    sqlite3_wal_hook(writer, [](void* self, sqlite3*, const char*, int frames) {
      static_cast<WalCheckpointer*>(self)->OnCommit(frames);
      return SQLITE_OK;
    }, c.get());
  }
  c->thread_ = std::thread([p = c.get()] { p->Loop(); });
  return c;
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  std::lock_guard<std::mutex> w(writer_mu_);
  sqlite3_wal_hook(writer_, nullptr, nullptr);
}

WalCheckpointer::Stats WalCheckpointer::stats() {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void WalCheckpointer::OnCommit(int frames) {
  std::unique_lock<std::mutex> lock(mu_);
  if (frames < last_frames_) {  // begun again from the start: every threshold too
    ++stats_.restarts;
    due_at_ = limits_.checkpoint_frames;
    forced_at_ = limits_.forced_frames;
    last_done_ = 0;
  }
  last_frames_ = frames;
  stats_.frames = frames;
  stats_.caught_up = false;
  if (frames >= forced_at_) {
    // The bound: this writer checkpoints here, in its COMMIT (as SQLite's
    // automatic checkpoint did), with no transaction of its own open, so
    // the checkpoint completes and its next transaction restarts the WAL.
    // BUSY while the thread's checkpoint runs: the next commit tries again.
    lock.unlock();
    int log_frames = -1, done_frames = -1;
    const int rc = sqlite3_wal_checkpoint_v2(writer_, "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames, &done_frames);
    lock.lock();
    if (rc != SQLITE_OK || log_frames < 0) return;
    ++stats_.checkpoints;
    ++stats_.forced;
    if (done_frames == log_frames) {
      ++stats_.complete;
    } else {
      forced_at_ = log_frames + limits_.forced_frames;  // a reader of another process holds it
    }
    return;
  }
  if (frames >= due_at_ && !due_) {
    due_ = true;
    wake_.notify_one();
  }
}

void WalCheckpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    if (last_frames_ >= forced_at_) continue;  // the writer's to do (OnCommit): do not hold it off
    const int64_t restarts_before = stats_.restarts;
    lock.unlock();
    int log_frames = -1, done_frames = -1;
    auto checkpoint = [&] {
      // PASSIVE: takes no lock a writer waits for and waits for nobody.
      // It fsyncs the WAL, copies its frames and fsyncs the database.
      if (sqlite3_wal_checkpoint_v2(db_->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                    &done_frames) != SQLITE_OK) {
        log_frames = -1;  // busy (another process's checkpoint) or failed: try again later
      }
    };
    checkpoint();
    lock.lock();
    if (log_frames < 0) {  // did not run: due again once the WAL grows as much again
      due_at_ = last_frames_ + limits_.checkpoint_frames;
      continue;
    }
    ++stats_.checkpoints;
    // `log_frames` is the WAL as the checkpoint found it when it began.
    const bool copied_all = done_frames == log_frames;
    if (copied_all) ++stats_.complete;
    if (stats_.restarts != restarts_before) {  // a commit restarted the WAL since: thresholds are new
      due_ = last_frames_ >= due_at_;
      continue;
    }
    const bool overtaken = last_frames_ > log_frames;  // a commit added frames meanwhile
    const bool progress = done_frames > last_done_;
    last_done_ = done_frames;
    if (copied_all && !overtaken) {
      // The next commit restarts the WAL (and OnCommit the thresholds).
      stats_.caught_up = true;
      due_at_ = log_frames + limits_.checkpoint_frames;
    } else if (progress) {
      due_at_ = 0;  // chase the writer: copy what it added, until a pass completes between two commits
    } else {
      // Nothing copied: a reader of another process holds the WAL.
      due_at_ = last_frames_ + limits_.checkpoint_frames;
    }
    due_ = last_frames_ >= due_at_;
  }
}

}  // namespace cs::manager
