// Units: every accepted spelling, and a precise explanation for each rejected one.
#include "sim/scenario/units.h"

#include <gtest/gtest.h>

namespace faultline {
namespace {

TEST(Units, Durations) {
  EXPECT_EQ(parse_duration("90s").value(), 90 * kSecond);
  EXPECT_EQ(parse_duration("15m").value(), 15 * kMinute);
  EXPECT_EQ(parse_duration("15min").value(), 15 * kMinute);
  EXPECT_EQ(parse_duration("48h").value(), 48 * kHour);
  EXPECT_EQ(parse_duration("3d").value(), 3 * kDay);
  EXPECT_EQ(parse_duration("1d 6h").value(), kDay + 6 * kHour);
  EXPECT_EQ(parse_duration("500ms").value(), 500 * kMillisecond);
  EXPECT_EQ(parse_duration("1.5h").value(), 90 * kMinute);
  EXPECT_EQ(parse_duration("0").value(), 0);
}

TEST(Units, DurationErrorsSayWhatWasExpected) {
  EXPECT_NE(parse_duration("15").error().find("has no unit"), std::string::npos);
  EXPECT_NE(parse_duration("15y").error().find("unknown unit 'y'"), std::string::npos);
  EXPECT_NE(parse_duration("soon").error().find("expected a duration such as"), std::string::npos);
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("-5m").ok());
}

TEST(Units, TimePoints) {
  EXPECT_EQ(parse_time_point("12d 22:00").value(), 12 * kDay + 22 * kHour);
  EXPECT_EQ(parse_time_point("09:30").value(), 9 * kHour + 30 * kMinute);
  EXPECT_EQ(parse_time_point("36h").value(), 36 * kHour);
  EXPECT_EQ(parse_time_point("2d 00:00:30").value(), 2 * kDay + 30 * kSecond);
  EXPECT_NE(parse_time_point("12d 25:00").error().find("out of range"), std::string::npos);
  EXPECT_FALSE(parse_time_point("12x 22:00").ok());
  EXPECT_FALSE(parse_time_point("1d6h 22:00").ok());
}

TEST(Units, Rates) {
  EXPECT_DOUBLE_EQ(parse_rate_per_s("500/s").value(), 500);
  EXPECT_DOUBLE_EQ(parse_rate_per_s("20/min").value(), 20.0 / 60);
  EXPECT_DOUBLE_EQ(parse_rate_per_s("3600/h").value(), 1);
  EXPECT_NE(parse_rate_per_s("500").error().find("has no unit"), std::string::npos);
  EXPECT_NE(parse_rate_per_s("500/week").error().find("unknown unit '/week'"), std::string::npos);
}

TEST(Units, Probabilities) {
  EXPECT_DOUBLE_EQ(parse_probability("38%").value(), 0.38);
  EXPECT_DOUBLE_EQ(parse_probability("0.02").value(), 0.02);
  EXPECT_DOUBLE_EQ(parse_probability("100%").value(), 1.0);
  EXPECT_NE(parse_probability("120%").error().find("out of range"), std::string::npos);
  EXPECT_NE(parse_probability("1.5").error().find("out of range"), std::string::npos);
  EXPECT_FALSE(parse_probability("-0.1").ok());
  EXPECT_FALSE(parse_probability("often").ok());
}

TEST(Units, IntegersAndBooleans) {
  EXPECT_EQ(parse_integer("1_000_000").value(), 1000000);
  EXPECT_FALSE(parse_integer("1e6").ok());
  EXPECT_TRUE(parse_boolean("yes").value());
  EXPECT_FALSE(parse_boolean("off").value());
  EXPECT_FALSE(parse_boolean("maybe").ok());
}

}  // namespace
}  // namespace faultline
