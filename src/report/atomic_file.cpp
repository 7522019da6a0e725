#include "src/report/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "carteira/core/strings.h"

namespace carteira {
namespace {

absl::Status ErrnoError(int error, const std::string& path) {
  const std::string message = StrCat("cannot write ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EISDIR:
    case ENAMETOOLONG:
      return absl::InvalidArgumentError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (path.empty() || !target.has_filename()) {
    return absl::InvalidArgumentError(StrCat("cannot write '", path, "': not a file name"));
  }
  std::error_code ec;
  if (fs::is_directory(target, ec)) return ErrnoError(EISDIR, path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");

  // A name of our own next to the target (same file system, so the rename
  // is atomic): the process id and a counter, created exclusively (O_EXCL)
  // with the usual permissions (the umask applies, unlike mkstemp's 0600).
  static std::atomic<unsigned> counter{0};
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = (dir / StrCat(".", target.filename().string(), ".tmp.", ::getpid(), ".", counter++)).string();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return ErrnoError(errno, path);
  }
  if (fd < 0) return ErrnoError(EEXIST, path);

  auto fail = [&](int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    return ErrnoError(error, path);
  };
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return ErrnoError(error, path);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return ErrnoError(error, path);
  }
  // Make the rename itself durable; a failure here loses nothing written.
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace carteira
