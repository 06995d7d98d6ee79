//! Typed property values and partial dates.

pub use arcstr::ArcStr;
use std::fmt;
use std::num::NonZeroU32;

/// A property value, 16 bytes. Strings are shared ([`ArcStr`], one thin
/// pointer) so that a million edges saying `"stage": "mining"` hold one copy.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Bool(bool),
    Str(ArcStr),
    Date(PartialDate),
}

const _: () = assert!(std::mem::size_of::<Value>() == 16);

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(number) => Some(*number),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<PartialDate> {
        match self {
            Value::Date(date) => Some(*date),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(flag) => Some(*flag),
            _ => None,
        }
    }

    /// The type's name as users see it in messages (`number`, `date`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            Value::Str(_) => "string",
            Value::Date(_) => "date",
        }
    }

    /// Reads a string as the data format does: a date-shaped string is a date
    /// (and must be a real one), any other string stays a string.
    pub fn from_text(text: &str) -> Result<Value, DateError> {
        if PartialDate::looks_like_date(text) {
            PartialDate::parse(text).map(Value::Date)
        } else {
            Ok(Value::Str(ArcStr::from(text)))
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(number) => write!(f, "{}", format_number(*number)),
            Value::Bool(flag) => write!(f, "{flag}"),
            Value::Str(text) => f.write_str(text),
            Value::Date(date) => write!(f, "{date}"),
        }
    }
}

/// Formats a number without a trailing `.0` and without float noise
/// (`0.857`, `60000`, `1e-7` stays exact via Rust's shortest round-trip form).
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// A date that may name only a year (`2025`) or a month (`2025-06`), as
/// sources often do. Ordered by the period's start, coarser first on ties.
///
/// Packed in four bytes (see [`PartialDate::code`]) that are never all zero,
/// so that an `Option<PartialDate>` is four bytes too and an edge's
/// [`Validity`] eight: bulk graphs hold millions of them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate(NonZeroU32);

const _: () = assert!(std::mem::size_of::<Option<PartialDate>>() == 4);
const _: () = assert!(std::mem::size_of::<Validity>() == 8);

/// The bit set in every [`PartialDate::code`].
const DATE_MARK: u32 = 1 << 31;
/// Added to the year so that codes order as years do.
const YEAR_BIAS: i32 = 1 << 15;

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// `2025/06/01`
    #[error("\"{0}\" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
    Shape(String),
    /// `2025-13-40`
    #[error("\"{0}\" is not a real date")]
    OutOfRange(String),
}

impl PartialDate {
    /// A full date; `None` if it does not exist in the calendar.
    pub fn ymd(year: i32, month: u32, day: u32) -> Option<PartialDate> {
        chrono::NaiveDate::from_ymd_opt(year, month, day)?;
        PartialDate::pack(year, month, day)
    }

    pub fn year_only(year: i32) -> Option<PartialDate> {
        PartialDate::pack(year, 0, 0)
    }

    pub fn year_month(year: i32, month: u32) -> Option<PartialDate> {
        if !(1..=12).contains(&month) {
            return None;
        }
        PartialDate::pack(year, month, 0)
    }

    /// The date's four bytes: bit 31 set, the year plus 32768 in bits
    /// 9–24, the month (0 = unknown) in bits 5–8, the day (0 = unknown) in
    /// bits 0–4. Codes order as dates do; snapshots store them.
    pub fn code(self) -> u32 {
        self.0.get()
    }

    /// The date a [`PartialDate::code`] stands for; `None` when the code
    /// is not one (a bit out of place, a month 13, a 30 February).
    pub fn from_code(code: u32) -> Option<PartialDate> {
        if code & !0x01ff_ffff != DATE_MARK {
            return None;
        }
        let year = ((code >> 9) & 0xffff) as i32 - YEAR_BIAS;
        match ((code >> 5) & 0xf, code & 0x1f) {
            (0, 0) => PartialDate::year_only(year),
            (month, 0) => PartialDate::year_month(year, month),
            (month, day) => PartialDate::ymd(year, month, day),
        }
    }

    /// The code of a year (any `i16`), a month (0..=12) and a day (0..=31)
    /// already checked by the caller.
    fn pack(year: i32, month: u32, day: u32) -> Option<PartialDate> {
        let year = i16::try_from(year).ok()?;
        let biased = (i32::from(year) + YEAR_BIAS) as u32;
        NonZeroU32::new(DATE_MARK | (biased << 9) | (month << 5) | day).map(PartialDate)
    }

    /// Whether the text has the shape of an ISO date (`dddd`, `dddd-dd`,
    /// `dddd-dd-dd`), whether or not it is a real one.
    pub fn looks_like_date(text: &str) -> bool {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        match bytes.len() {
            4 => digits(0..4),
            7 => digits(0..4) && bytes[4] == b'-' && digits(5..7),
            10 => {
                digits(0..4)
                    && bytes[4] == b'-'
                    && digits(5..7)
                    && bytes[7] == b'-'
                    && digits(8..10)
            }
            _ => false,
        }
    }

    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        if !Self::looks_like_date(text) {
            return Err(DateError::Shape(text.to_string()));
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        let year = number(0..4) as i32;
        let date = match text.len() {
            4 => Self::year_only(year),
            7 => Self::year_month(year, number(5..7)),
            _ => Self::ymd(year, number(5..7), number(8..10)),
        };
        date.ok_or_else(|| DateError::OutOfRange(text.to_string()))
    }

    pub fn year(self) -> i32 {
        ((self.code() >> 9) & 0xffff) as i32 - YEAR_BIAS
    }

    pub fn month(self) -> Option<u32> {
        Some(self.month_code()).filter(|month| *month != 0)
    }

    pub fn day(self) -> Option<u32> {
        Some(self.day_code()).filter(|day| *day != 0)
    }

    /// The month, 0 when unknown.
    fn month_code(self) -> u32 {
        (self.code() >> 5) & 0xf
    }

    /// The day, 0 when unknown.
    fn day_code(self) -> u32 {
        self.code() & 0x1f
    }

    /// The same year with another month and day (both in range).
    fn with_month_day(self, month: u32, day: u32) -> PartialDate {
        let code = (self.code() & !0x1ff) | (month << 5) | day;
        NonZeroU32::new(code).map_or(self, PartialDate)
    }

    /// The first day of the period (`2025-06` → 2025-06-01).
    pub fn first_day(self) -> PartialDate {
        self.with_month_day(self.month_code().max(1), self.day_code().max(1))
    }

    /// The last day of the period (`2025` → 2025-12-31, `2024-02` → 2024-02-29).
    pub fn last_day(self) -> PartialDate {
        if self.day_code() != 0 {
            return self;
        }
        let month = match self.month_code() {
            0 => 12,
            month => month,
        };
        self.with_month_day(month, u32::from(days_in_month(self.year(), month as u8)))
    }

    /// Whether the period contains the given day.
    pub fn contains(self, day: PartialDate) -> bool {
        self.first_day() <= day.first_day() && day.first_day() <= self.last_day()
    }
}

/// Days in a month of the proleptic Gregorian calendar (chrono's).
fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Debug for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartialDate")
            .field("year", &self.year())
            .field("month", &self.month_code())
            .field("day", &self.day_code())
            .finish()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year())?;
        if let Some(month) = self.month() {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day() {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// When a node or edge holds: both ends inclusive, open where absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl Validity {
    /// Whether the fact holds on `day` (a partial `to` covers its whole period).
    pub fn holds_on(&self, day: PartialDate) -> bool {
        let day = day.first_day();
        self.from.is_none_or(|from| from.first_day() <= day)
            && self.to.is_none_or(|to| day <= to.last_day())
    }

    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn parses_full_and_partial_dates() {
        assert_eq!(date("2025").to_string(), "2025");
        assert_eq!(date("2025-06").to_string(), "2025-06");
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
        assert!(matches!(
            PartialDate::parse("2025-13-40"),
            Err(DateError::OutOfRange(_))
        ));
        assert!(matches!(
            PartialDate::parse("2023-02-29"),
            Err(DateError::OutOfRange(_))
        ));
        assert!(matches!(
            PartialDate::parse("2025-00"),
            Err(DateError::OutOfRange(_))
        ));
        assert!(matches!(
            PartialDate::parse("June 2025"),
            Err(DateError::Shape(_))
        ));
    }

    #[test]
    fn partial_dates_cover_their_period() {
        assert_eq!(date("2024-02").last_day(), date("2024-02-29"));
        assert_eq!(date("2025").last_day(), date("2025-12-31"));
        assert_eq!(date("2025").first_day(), date("2025-01-01"));
        assert!(date("2025-06").contains(date("2025-06-30")));
        assert!(!date("2025-06").contains(date("2025-07-01")));
        assert!(date("2025") < date("2025-01") && date("2025-01") < date("2025-01-01"));
    }

    #[test]
    fn codes_round_trip_and_order_as_dates() {
        let dates = [
            PartialDate::year_only(-32768).unwrap(),
            date("0000"),
            date("1999-12-31"),
            date("2025"),
            date("2025-01"),
            date("2025-01-01"),
            date("2025-02-28"),
            date("2025-12"),
            PartialDate::year_only(32767).unwrap(),
        ];
        for pair in dates.windows(2) {
            assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
            assert!(pair[0].code() < pair[1].code());
        }
        for day in dates {
            assert_eq!(PartialDate::from_code(day.code()), Some(day));
            assert_ne!(day.code(), 0);
        }
        assert_eq!(
            PartialDate::year_only(-32768).unwrap().to_string(),
            "-32768"
        );
        assert_eq!(PartialDate::year_only(32768), None);
        let february = date("2025-02").code();
        assert_eq!(PartialDate::from_code(february | 30), None, "30 February");
        assert_eq!(
            PartialDate::from_code(date("2025").code() | (13 << 5)),
            None
        );
        assert_eq!(PartialDate::from_code(february & !(1 << 31)), None);
        assert_eq!(PartialDate::from_code(february | (1 << 27)), None);
        assert_eq!(
            format!("{:?}", date("2025-06")),
            "PartialDate { year: 2025, month: 6, day: 0 }"
        );
    }

    #[test]
    fn month_lengths_agree_with_chrono() {
        for year in [-400, -100, -4, -1, 0, 1, 1900, 2000, 2023, 2024, 2100, 9999] {
            for month in 1..=12u8 {
                let last = (28..=31).rev().find(|day| {
                    chrono::NaiveDate::from_ymd_opt(year, month.into(), *day).is_some()
                });
                assert_eq!(
                    Some(u32::from(days_in_month(year, month))),
                    last,
                    "{year}-{month}"
                );
            }
        }
    }

    #[test]
    fn validity_is_inclusive_and_open_ended() {
        let valid = Validity {
            from: Some(date("2023-08-01")),
            to: Some(date("2025")),
        };
        assert!(!valid.holds_on(date("2023-07-31")));
        assert!(valid.holds_on(date("2023-08-01")));
        assert!(valid.holds_on(date("2025-12-31")));
        assert!(!valid.holds_on(date("2026-01-01")));
        assert!(Validity::default().holds_on(date("1900")));
    }

    #[test]
    fn strings_shaped_like_dates_become_dates() {
        assert_eq!(
            Value::from_text("2025-06").unwrap(),
            Value::Date(date("2025-06"))
        );
        assert_eq!(Value::from_text("mining").unwrap().as_str(), Some("mining"));
        assert!(Value::from_text("2025-13").is_err());
        assert_eq!(format_number(60000.0), "60000");
        assert_eq!(format_number(0.857), "0.857");
    }
}
