// Reading delivery logs: faultline's CSV and JSONL, Twilio's exports, and bad rows
// reported with their line numbers — never silently dropped.
#include "adapters/vendor/delivery_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace faultline::vendor {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("faultline_log_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

TEST(DeliveryLog, FaultlineCsvWithBadRows) {
  const std::string path =
      write_temp("a.csv",
                 "message_id,vendor,carrier,submitted,sent,delivered,status,error_code\n"  // line 1
                 "m1,alpha,east,0,0.5,7.5,delivered,\n"                                    // 2 ok
                 "m2,alpha,east,1,1.5,,failed,30008\n"                                     // 3 ok
                 "m3,alpha,east,2,2.5,yesterday,delivered,\n"       // 4 bad time
                 "m4,alpha,east,3,3.5,2.0,delivered,\n"             // 5 delivered < sent
                 "m5,alpha,east,4,4.5,9,\n"                         // 6 too few fields
                 "m6,alpha,east,5,5.5,,lost,\n"                     // 7 unknown status
                 "\"m7, quoted\",alpha,west,6,6.5,12,delivered,\n"  // 8 ok (quoted comma)
                 "m8,alpha,east,7,7.5,,undelivered,x1\n"            // 9 bad error code
                 "m9,alpha,east,2026-11-30T08:00:00Z,2026-11-30T08:00:01.5Z,"
                 "\"Mon, 30 Nov 2026 08:00:09 +0000\",delivered,\n");  // 10 ok (dates)
  const DeliveryLog log = read_delivery_log(path);
  EXPECT_EQ(log.format, "faultline-csv");
  ASSERT_EQ(log.records.size(), 4u);
  EXPECT_EQ(log.records[2].message_id, "m7, quoted");
  EXPECT_EQ(log.records[2].line, 8u);
  EXPECT_DOUBLE_EQ(log.records[3].delivered - log.records[3].sent, 7.5);
  ASSERT_EQ(log.bad_rows.size(), 5u);
  EXPECT_EQ(log.bad_rows[0].line, 4u);
  EXPECT_NE(log.bad_rows[0].why.find("yesterday"), std::string::npos);
  EXPECT_EQ(log.bad_rows[1].line, 5u);
  EXPECT_EQ(log.bad_rows[2].line, 6u);
  EXPECT_EQ(log.bad_rows[3].line, 7u);
  EXPECT_EQ(log.bad_rows[4].line, 9u);
  std::filesystem::remove(path);
}

TEST(DeliveryLog, TwilioConsoleExport) {
  // The console's message-log CSV: no handset delivery time, a quoted multi-line Body.
  const std::string path = write_temp(
      "twilio.csv",
      "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,"
      "Price,PriceUnit\n"
      "+15005550006,+15551230000,\"Your instalment is due\ntomorrow\",delivered,"
      "2026-11-30T09:00:01-05:00,2010-04-01,1,0,AC00000000000000000000000000000001,"
      "SM00000000000000000000000000000001,outbound-api,-0.0079,USD\n"
      "+15551230000,+15005550006,hi,received,2026-11-30T09:10:00-05:00,2010-04-01,1,0,"
      "AC00000000000000000000000000000001,SM00000000000000000000000000000002,inbound,,USD\n"
      "+15005550006,+15551230001,x,failed,2026-11-30T09:00:02-05:00,2010-04-01,1,30008,"
      "AC00000000000000000000000000000001,SM00000000000000000000000000000003,outbound-api,,USD\n");
  const DeliveryLog log = read_delivery_log(path);
  EXPECT_EQ(log.format, "twilio-csv");
  EXPECT_EQ(log.other_rows, 1u);  // the inbound message
  // The delivered row has no delivered time: Twilio's console export cannot give one.
  ASSERT_EQ(log.bad_rows.size(), 1u);
  EXPECT_EQ(log.bad_rows[0].line, 2u);
  ASSERT_EQ(log.records.size(), 1u);
  EXPECT_EQ(log.records[0].line, 5u);  // the two-line Body counts as two lines
  EXPECT_EQ(log.records[0].error_code, 30008);
  EXPECT_EQ(log.records[0].vendor, "AC00000000000000000000000000000001");
  EXPECT_DOUBLE_EQ(log.records[0].sent, 1796047202.0);  // 14:00:02 UTC
  std::filesystem::remove(path);
}

TEST(DeliveryLog, TwilioApiJsonlUsesDateUpdatedForDelivered) {
  const std::string path = write_temp(
      "api.jsonl",
      "{\"sid\":\"SM1\",\"account_sid\":\"AC1\",\"status\":\"delivered\",\"error_code\":null,"
      "\"date_created\":\"Mon, 30 Nov 2026 08:00:00 +0000\",\"date_sent\":\"Mon, 30 Nov 2026 "
      "08:00:01 +0000\",\"date_updated\":\"Mon, 30 Nov 2026 08:00:13 +0000\"}\n"
      "not json\n");
  const DeliveryLog log = read_delivery_log(path);
  EXPECT_EQ(log.format, "twilio-jsonl");
  ASSERT_EQ(log.records.size(), 1u);
  EXPECT_DOUBLE_EQ(log.records[0].delivered - log.records[0].sent, 12.0);
  ASSERT_EQ(log.bad_rows.size(), 1u);
  EXPECT_EQ(log.bad_rows[0].line, 2u);
  std::filesystem::remove(path);
}

TEST(DeliveryLog, UnreadableFilesAreErrorsNamingThePath) {
  EXPECT_THROW(read_delivery_log("/nonexistent/log.csv"), std::runtime_error);
  const std::string path = write_temp("nohead.csv", "a,b,c\n1,2,3\n");
  try {
    read_delivery_log(path);
    FAIL() << "a header without a status column must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":1:"), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(DeliveryLog, Times) {
  EXPECT_DOUBLE_EQ(parse_time("12.5"), 12.5);
  EXPECT_DOUBLE_EQ(parse_time("1970-01-02T00:00:00Z"), 86400);
  EXPECT_DOUBLE_EQ(parse_time("1970-01-02 01:00:00+01:00"), 86400);
  EXPECT_DOUBLE_EQ(parse_time("Fri, 02 Jan 1970 00:00:00 +0000"), 86400);
  EXPECT_TRUE(std::isnan(parse_time("2026-13-01T00:00:00Z")));
  EXPECT_TRUE(std::isnan(parse_time("soon")));
}

}  // namespace
}  // namespace faultline::vendor
