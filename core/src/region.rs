//! Support regions: the institution's region sets the business-hours clock (time zone and public
//! holidays). The data lives in JSON files (`core/data/regions/*.json`), not in code, so a
//! deployment can change holidays without touching the rules; the API can load its own directory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Business hours start, local time (09:00).
pub const BUSINESS_OPEN_HOUR: u32 = 9;
/// Business hours end, local time (17:00).
pub const BUSINESS_CLOSE_HOUR: u32 = 17;
/// Business hours in a business day.
pub const BUSINESS_HOURS_PER_DAY: u32 = BUSINESS_CLOSE_HOUR - BUSINESS_OPEN_HOUR;

/// A public holiday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holiday {
    /// The (observed) date.
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
}

/// A support region as stored in a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    /// Id used by institutions and the API (`emea`, `americas`, `apac`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// IANA time zone of the region's business hours.
    pub time_zone: String,
    /// Where the holiday list comes from.
    #[serde(default)]
    pub holidays_source: String,
    /// Public holidays (no business hours on these dates).
    pub holidays: Vec<Holiday>,
}

/// The region files shipped with the product.
pub const BUILTIN_FILES: [(&str, &str); 3] = [
    ("emea.json", include_str!("../data/regions/emea.json")),
    (
        "americas.json",
        include_str!("../data/regions/americas.json"),
    ),
    ("apac.json", include_str!("../data/regions/apac.json")),
];

impl Region {
    /// Parses one region file.
    pub fn from_json(text: &str) -> Result<Region, String> {
        serde_json::from_str(text).map_err(|e| format!("invalid region file: {e}"))
    }

    /// The regions shipped with the product.
    pub fn builtin() -> Vec<Region> {
        BUILTIN_FILES
            .iter()
            .map(|(name, text)| Region::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}")))
            .collect()
    }

    /// Whether `date` is a public holiday in this region.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.iter().any(|h| h.date == date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    #[test]
    fn builtin_regions_cover_2026_and_2027() {
        let regions = Region::builtin();
        assert_eq!(
            regions.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["emea", "americas", "apac"]
        );
        for r in &regions {
            for year in [2026, 2027] {
                let n = r.holidays.iter().filter(|h| h.date.year() == year).count();
                assert!(n >= 8, "{} has {n} holidays in {year}", r.id);
            }
        }
    }

    #[test]
    fn observed_holidays_in_emea_and_americas_fall_on_weekdays() {
        // England/Wales and US federal holidays are listed on their observed (weekday) dates.
        for r in Region::builtin().iter().filter(|r| r.id != "apac") {
            for h in &r.holidays {
                assert!(
                    !matches!(h.date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{} {} {} is on a weekend",
                    r.id,
                    h.date,
                    h.name
                );
            }
        }
    }
}
