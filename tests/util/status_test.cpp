#include "util/status.h"

#include <gtest/gtest.h>

namespace cs {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("server_count must be positive");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "server_count must be positive");
  EXPECT_EQ(s.ToString(), "invalid argument: server_count must be positive");
}

TEST(StatusTest, ContextPrefixesMessageAndKeepsOk) {
  EXPECT_EQ(Status::IoError("disk full").Context("saving").message(), "saving: disk full");
  EXPECT_TRUE(Status::Ok().Context("saving").ok());
}

Status FailsThenNeverReached(bool* reached) {
  CS_RETURN_IF_ERROR(Status::NotFound("x"));
  *reached = true;
  return Status::Ok();
}

TEST(StatusTest, ReturnIfErrorReturnsEarly) {
  bool reached = false;
  EXPECT_EQ(FailsThenNeverReached(&reached).code(), Status::Code::kNotFound);
  EXPECT_FALSE(reached);
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 42;
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 42);
  Result<int> bad = Status::Corruption("bad");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "bad");
}

}  // namespace
}  // namespace cs
