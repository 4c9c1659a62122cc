import DapodikAccounts
import Testing

struct CalendarDateTests {
    @Test(
        "knows the Gregorian leap years",
        arguments: [(2000, true), (1900, false), (2024, true), (2023, false), (2100, false)])
    func leapYears(_ year: Int, _ isLeap: Bool) {
        #expect(CalendarDate.isLeapYear(year) == isLeap)
        #expect((CalendarDate(year: year, month: 2, day: 29) != nil) == isLeap)
    }

    @Test("each month ends on its last day", arguments: [(1, 31), (4, 30), (6, 30), (9, 30), (11, 30), (12, 31)])
    func monthLengths(_ month: Int, _ days: Int) {
        #expect(CalendarDate(year: 2023, month: month, day: days) != nil)
        #expect(CalendarDate(year: 2023, month: month, day: days + 1) == nil)
    }

    @Test("refuses month 0 and 13, day 0, and years outside 1...9999")
    func refusesOutOfRange() {
        #expect(CalendarDate(year: 2023, month: 0, day: 1) == nil)
        #expect(CalendarDate(year: 2023, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2023, month: 1, day: 0) == nil)
        #expect(CalendarDate(year: 0, month: 1, day: 1) == nil)
        #expect(CalendarDate(year: 10_000, month: 1, day: 1) == nil)
    }

    @Test("prints as ISO 8601 and orders chronologically")
    func describesAndOrders() throws {
        let early = try #require(CalendarDate(year: 985, month: 3, day: 2))
        let late = try #require(CalendarDate(year: 1985, month: 1, day: 31))
        #expect(early.description == "0985-03-02")
        #expect(early < late)
        #expect(!(late < early))
    }
}
