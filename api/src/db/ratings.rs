//! Ratings of support's answer: one per case, by a customer of its institution, changeable for
//! 14 days (the rule is `portal_core::feedback`), and their monthly averages.

use chrono::{DateTime, Utc};
use portal_core::model::{MonthRating, Rating};

use super::sql::{params, params_from_iter, Connection, OptionalExtension};
use super::{parse_ts, ts, Account, Result};

/// The rating of case `case_id`, if it has one.
pub fn get(conn: &Connection, case_id: i64) -> Result<Option<Rating>> {
    conn.query_row(
        "SELECT r.score, r.comment, u.name, r.rated_at, r.first_rated_at FROM case_ratings r \
         JOIN users u ON u.id = r.user_id WHERE r.case_id = ?1",
        [case_id],
        |r| {
            Ok(Rating {
                score: u8::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                comment: r.get(1)?,
                by: r.get(2)?,
                rated_at: parse_ts(&r.get::<_, String>(3)?)?,
                first_rated_at: parse_ts(&r.get::<_, String>(4)?)?,
            })
        },
    )
    .optional()
}

/// Gives or changes the rating of case `case_id` (the first time counts for the 14 days).
pub fn put(
    conn: &Connection,
    case_id: i64,
    by: &Account,
    score: u8,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE case_ratings SET user_id = ?2, score = ?3, comment = ?4, rated_at = ?5 WHERE case_id = ?1",
        params![case_id, by.id, i64::from(score), comment, ts(now)],
    )?;
    if changed == 0 {
        conn.execute(
            "INSERT INTO case_ratings (case_id, user_id, score, comment, rated_at, first_rated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![case_id, by.id, i64::from(score), comment, ts(now)],
        )?;
    }
    Ok(())
}

/// The average rating per month (`YYYY-MM` of when it was given), oldest first, over the cases
/// that `where_sql` (on `cases c`, with `args`) selects.
pub fn by_month(
    conn: &Connection,
    where_sql: &str,
    args: &[super::sql::Value],
) -> Result<Vec<MonthRating>> {
    conn.query_map(
        &format!(
            "SELECT substr(r.rated_at, 1, 7) AS month, CAST(SUM(r.score) AS BIGINT), COUNT(*) \
             FROM case_ratings r JOIN cases c ON c.id = r.case_id {where_sql} \
             GROUP BY substr(r.rated_at, 1, 7) ORDER BY month"
        ),
        params_from_iter(args.iter()),
        |r| {
            let (total, count): (i64, i64) = (r.get(1)?, r.get(2)?);
            Ok(MonthRating {
                month: r.get(0)?,
                total: u64::try_from(total).unwrap_or(0),
                count: u64::try_from(count).unwrap_or(0),
            })
        },
    )
}
