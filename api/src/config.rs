//! Deployment configuration, served at `GET /api/v1/config` so the portal renders kinds, levels,
//! regions, contacts and links from one source, and a deployment changes them without a rebuild.
//!
//! It comes from a JSON file (`portal-api --config FILE`); without one, the reference
//! deployment's file `api/deployment/campusm.json`, compiled in. The support regions and their
//! holidays are not in it: they are data files of `portal-core` (`core/data/regions`). Loading
//! checks the file against the support policy in `portal-core`: every request kind and response
//! level exactly once, each kind routed where the policy routes it, each level on the policy's
//! clock, and sane attachment limits. Any problem stops the server with a message naming it.

use portal_core::clock::RegionClock;
use portal_core::model::{Config, RegionInfo};
use portal_core::{Level, RequestKind};

/// The reference deployment's configuration (the default).
pub const REFERENCE: &str = include_str!("../deployment/campusm.json");

/// Largest attachment a deployment may allow (the API keeps uploads in its database).
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// The reference deployment's configuration.
pub fn default_config(clocks: &[RegionClock]) -> Result<Config, String> {
    load(REFERENCE, clocks)
}

/// Reads a configuration file's text and checks it; the regions come from `clocks`.
pub fn load(text: &str, clocks: &[RegionClock]) -> Result<Config, String> {
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("the configuration is not JSON: {e}"))?;
    if raw.get("regions").is_some() {
        return Err("the configuration lists \"regions\": support regions and their holidays come from the data files in core/data/regions; remove it".into());
    }
    let known = [
        "product_name",
        "kinds",
        "levels",
        "product_areas",
        "ideas_exchange_url",
        "escalation_contacts",
        "escalation_policy_url",
        "knowledge_center_url",
        "support_needs",
        "community",
        "attachment_limits",
    ];
    let unknown: Vec<&str> = raw
        .as_object()
        .map(|o| {
            o.keys()
                .map(String::as_str)
                .filter(|k| !known.contains(k))
                .collect()
        })
        .unwrap_or_default();
    if !unknown.is_empty() {
        return Err(format!(
            "the configuration has unknown settings {unknown:?} (a typo?); the settings are: {}",
            known.join(", ")
        ));
    }
    let mut with_regions = raw;
    if let Some(obj) = with_regions.as_object_mut() {
        obj.insert("regions".into(), serde_json::Value::Array(Vec::new()));
    }
    let mut config: Config = serde_json::from_value(with_regions)
        .map_err(|e| format!("the configuration does not have the expected shape: {e}"))?;
    check(&config)?;
    config.regions = clocks
        .iter()
        .map(|c| RegionInfo {
            id: c.region.id.clone(),
            name: c.region.name.clone(),
            time_zone: c.region.time_zone.clone(),
        })
        .collect();
    Ok(config)
}

fn check(c: &Config) -> Result<(), String> {
    let mut problems = Vec::new();
    if c.product_name.trim().is_empty() {
        problems.push("product_name is empty".to_string());
    }
    for k in RequestKind::ALL {
        let found: Vec<_> = c.kinds.iter().filter(|i| i.kind == k).collect();
        match found.as_slice() {
            [one] if one.route != k.route() => problems.push(format!(
                "kind {:?} is routed to {:?}, but the support policy routes it to {:?}",
                k.as_str(),
                one.route,
                k.route()
            )),
            [one] if one.label.trim().is_empty() || one.explanation.trim().is_empty() => problems
                .push(format!(
                    "kind {:?} needs a label and an explanation",
                    k.as_str()
                )),
            [_] => {}
            [] => problems.push(format!("kind {:?} is missing", k.as_str())),
            _ => problems.push(format!("kind {:?} is listed more than once", k.as_str())),
        }
    }
    for l in Level::ALL {
        let found: Vec<_> = c.levels.iter().filter(|i| i.level == l).collect();
        match found.as_slice() {
            [one] if one.clock != l.clock() => problems.push(format!(
                "level {} is counted {:?}, but the support policy counts it {:?}",
                l.as_str(),
                one.clock,
                l.clock()
            )),
            [one] if one.definition.trim().is_empty() || one.target.trim().is_empty() => problems
                .push(format!(
                    "level {} needs a definition and a target",
                    l.as_str()
                )),
            [_] => {}
            [] => problems.push(format!("level {} is missing", l.as_str())),
            _ => problems.push(format!("level {} is listed more than once", l.as_str())),
        }
    }
    for (what, url) in [
        ("ideas_exchange_url", &c.ideas_exchange_url),
        ("escalation_policy_url", &c.escalation_policy_url),
        ("knowledge_center_url", &c.knowledge_center_url),
    ]
    .into_iter()
    .chain(c.community.iter().map(|l| ("a community link", &l.url)))
    {
        if !url.starts_with("https://") {
            problems.push(format!("{what} must be an https:// address, not {url:?}"));
        }
    }
    if c.escalation_contacts.is_empty() {
        problems.push("escalation_contacts is empty: down systems need a 24/7 contact".to_string());
    }
    let limits = c.attachment_limits;
    if limits.max_bytes == 0 || limits.max_bytes > MAX_ATTACHMENT_BYTES {
        problems.push(format!(
            "attachment_limits.max_bytes must be between 1 and {MAX_ATTACHMENT_BYTES}"
        ));
    }
    if !(1..=portal_core::validate::ATTACHMENTS_MAX).contains(&limits.max_files) {
        problems.push(format!(
            "attachment_limits.max_files must be between 1 and {}",
            portal_core::validate::ATTACHMENTS_MAX
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the configuration has problems: {}.",
            problems.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_core::clock::builtin_clocks;

    fn edited(f: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(REFERENCE).expect("reference JSON");
        f(&mut v);
        v.to_string()
    }

    #[test]
    fn the_reference_file_is_valid_and_gets_the_regions() {
        let c = default_config(&builtin_clocks()).expect("valid");
        assert_eq!(c.product_name, "campusM");
        assert_eq!(c.kinds.len(), RequestKind::ALL.len());
        assert_eq!(c.levels.len(), Level::ALL.len());
        assert!(c.regions.iter().any(|r| r.id == "emea"));
    }

    #[test]
    fn problems_are_named() {
        let clocks = builtin_clocks();
        let err = |text: String| load(&text, &clocks).expect_err("invalid");
        assert!(err("{".into()).contains("not JSON"));
        assert!(err(edited(|v| v["regions"] = serde_json::json!([]))).contains("core/data/regions"));
        let e = err(edited(|v| {
            v["kinds"].as_array_mut().map(|a| a.remove(0));
            v["kinds"][0]["route"] = serde_json::json!("ideas_exchange");
            v["levels"][0]["clock"] = serde_json::json!("business_hours");
            v["attachment_limits"]["max_bytes"] = serde_json::json!(0);
            v["community"][0]["url"] = serde_json::json!("javascript:alert(1)");
        }));
        for part in [
            "kind \"question\" is missing",
            "kind \"defect\" is routed to",
            "level I is counted",
            "max_bytes",
            "javascript:alert(1)",
        ] {
            assert!(e.contains(part), "{part} not in: {e}");
        }
        assert!(
            err(edited(|v| v["prodcut_name"] = serde_json::json!("x"))).contains("prodcut_name")
        );
    }
}
