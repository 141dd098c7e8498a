// The input formats of the date-conversion task, and the calendar arithmetic it needs.
//
// Reference: the date-normalisation toy task of the attention tutorials (e.g. A. Ng's
// "Neural Machine Translation with Attention" exercise), which maps human-written dates to
// ISO 8601 (`YYYY-MM-DD`). Leap years follow the Gregorian rule (ISO 8601 §4.3.2.1).
//
// Why the day-first numeric format uses dots and the month-first one slashes: "05/03/2021" is
// 5 March in Europe and May 3 in the US, so a task that used slashes for both would have no
// single right answer. Each format here reads one way only.

/// A way of writing a date, used as the source side of ``Seq2SeqTask/dates(formats:years:)``.
///
///     DateFormat.longMonthFirst.render(year: 2021, month: 3, day: 5)   // "March 5, 2021"
///     DateFormat.dayFirstDotted.render(year: 2021, month: 3, day: 5)   // "05.03.2021"
///     DateFormat.iso.render(year: 2021, month: 3, day: 5)              // "2021-03-05"
public enum DateFormat: String, Sendable, Hashable, CaseIterable {
    /// "March 5, 2021"
    ///
    ///     DateFormat.longMonthFirst.render(year: 2021, month: 3, day: 5)   // "March 5, 2021"
    case longMonthFirst
    /// "Mar 5, 2021"
    ///
    ///     DateFormat.shortMonthFirst.render(year: 2021, month: 3, day: 5)   // "Mar 5, 2021"
    case shortMonthFirst
    /// "5 March 2021"
    ///
    ///     DateFormat.longDayFirst.render(year: 2021, month: 3, day: 5)   // "5 March 2021"
    case longDayFirst
    /// "5 Mar 2021"
    ///
    ///     DateFormat.shortDayFirst.render(year: 2021, month: 3, day: 5)   // "5 Mar 2021"
    case shortDayFirst
    /// "05.03.2021" (day first, dots)
    ///
    ///     DateFormat.dayFirstDotted.render(year: 2021, month: 3, day: 5)   // "05.03.2021"
    case dayFirstDotted
    /// "03/05/2021" (month first, slashes, as in the US)
    ///
    ///     DateFormat.monthFirstSlashed.render(year: 2021, month: 3, day: 5)   // "03/05/2021"
    case monthFirstSlashed
    /// "2021-03-05" (ISO 8601, the target format)
    ///
    ///     DateFormat.iso.render(year: 2021, month: 3, day: 5)   // "2021-03-05"
    case iso

    /// The English month names, January first.
    ///
    ///     DateFormat.monthNames[2]   // "March"
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                                    "August", "September", "October", "November", "December"]

    /// The date written in this format.
    ///
    ///     DateFormat.shortDayFirst.render(year: 1999, month: 12, day: 31)   // "31 Dec 1999"
    ///
    /// - Precondition: `month` is 1...12 and `day` is a day of that month (years are written
    ///   with at least four digits).
    public func render(year: Int, month: Int, day: Int) -> String {
        require((1...12).contains(month), "DateFormat.render: month \(month) is not in 1...12")
        require((1...DateFormat.daysIn(month: month, year: year)).contains(day),
                "DateFormat.render: \(year)-\(month) has no day \(day)")
        let long = DateFormat.monthNames[month - 1]
        let short = String(long.prefix(3))
        let y = DateFormat.padded(year, 4), m = DateFormat.padded(month, 2), d = DateFormat.padded(day, 2)
        switch self {
        case .longMonthFirst: return "\(long) \(day), \(y)"
        case .shortMonthFirst: return "\(short) \(day), \(y)"
        case .longDayFirst: return "\(day) \(long) \(y)"
        case .shortDayFirst: return "\(day) \(short) \(y)"
        case .dayFirstDotted: return "\(d).\(m).\(y)"
        case .monthFirstSlashed: return "\(m)/\(d)/\(y)"
        case .iso: return "\(y)-\(m)-\(d)"
        }
    }

    /// Whether `year` is a Gregorian leap year (divisible by 4, except centuries not divisible
    /// by 400).
    ///
    ///     DateFormat.isLeapYear(2000)   // true
    ///     DateFormat.isLeapYear(1900)   // false
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` (1...12) of `year`.
    ///
    ///     DateFormat.daysIn(month: 2, year: 2024)   // 29
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `value` in decimal, left-padded with zeros to `width` digits (no Foundation `String(format:)`,
    /// whose `%d` is locale- and platform-sensitive in corner cases).
    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
