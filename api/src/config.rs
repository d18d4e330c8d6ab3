//! Deployment configuration, served at `GET /api/v1/config` so the portal renders kinds, levels,
//! regions, contacts and links from one source, and a deployment changes them without a rebuild.
//!
//! It comes from a JSON file (`portal-api --config FILE`); without one, the reference
//! deployment's file `api/deployment/campusm.json`, compiled in. The support regions and their
//! holidays are not in it: they are data files of `portal-core` (`core/data/regions`). Loading
//! checks the file against the support policy in `portal-core`: every request kind and response
//! level exactly once, each kind routed where the policy routes it, each level on the policy's
//! clock, and sane attachment limits. Any problem stops the server with a message naming it.
//!
//! The file is written in English and carries, under `"translations"`, every text in each other
//! language the portal speaks (today French): kinds and levels by their id, and product areas,
//! contacts, support needs and community links by their English text. A missing or stale
//! translation stops the server too, so no customer ever reads half a translation.
//! `GET /api/v1/config` answers in the request's language ([`crate::lang`]).

use std::collections::BTreeMap;

use portal_core::clock::RegionClock;
use portal_core::model::{Config, RegionInfo};
use portal_core::{Lang, Level, RequestKind};
use serde::Deserialize;

/// The reference deployment's configuration (the default).
pub const REFERENCE: &str = include_str!("../deployment/campusm.json");

/// Largest attachment a deployment may allow (the API keeps uploads in its database).
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// The configuration in every language the portal speaks.
#[derive(Debug, Clone)]
pub struct Configs {
    by_lang: Vec<(Lang, Config)>,
}

impl Configs {
    /// The configuration with its texts in `lang`.
    pub fn get(&self, lang: Lang) -> &Config {
        self.by_lang
            .iter()
            .find(|(l, _)| *l == lang)
            .or(self.by_lang.first())
            .map(|(_, c)| c)
            .unwrap_or_else(|| unreachable!("a configuration always has English"))
    }

    /// The English configuration: settings that are the same in every language (limits, links).
    pub fn base(&self) -> &Config {
        self.get(Lang::En)
    }
}

/// The texts of one language under `"translations"`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Translation {
    product_name: Option<String>,
    kinds: BTreeMap<String, KindText>,
    levels: BTreeMap<String, LevelText>,
    product_areas: BTreeMap<String, String>,
    escalation_contacts: BTreeMap<String, String>,
    support_needs: BTreeMap<String, String>,
    community: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindText {
    label: String,
    explanation: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelText {
    priority: String,
    definition: String,
    target: String,
}

/// The reference deployment's configuration.
pub fn default_config(clocks: &[RegionClock]) -> Result<Configs, String> {
    load(REFERENCE, clocks)
}

/// Reads a configuration file's text and checks it; the regions come from `clocks`.
pub fn load(text: &str, clocks: &[RegionClock]) -> Result<Configs, String> {
    let mut raw: serde_json::Value =
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
        "support_247_url",
        "support_portal_guide_url",
        "knowledge_center_url",
        "support_needs",
        "community",
        "attachment_limits",
        "translations",
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
    let translations = raw
        .as_object_mut()
        .and_then(|o| o.remove("translations"))
        .unwrap_or(serde_json::Value::Null);
    if let Some(obj) = raw.as_object_mut() {
        obj.insert("regions".into(), serde_json::Value::Array(Vec::new()));
        // The file lists product areas as plain English texts: value and label at once.
        if let Some(serde_json::Value::Array(areas)) = obj.get_mut("product_areas") {
            for a in areas.iter_mut() {
                if let serde_json::Value::String(s) = a {
                    *a = serde_json::json!({ "value": s, "label": s });
                }
            }
        }
    }
    let mut config: Config = serde_json::from_value(raw)
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
    let mut translations: BTreeMap<String, Translation> = match translations {
        serde_json::Value::Null => BTreeMap::new(),
        v => serde_json::from_value(v)
            .map_err(|e| format!("\"translations\" does not have the expected shape: {e}"))?,
    };
    let mut by_lang = vec![(Lang::En, config.clone())];
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let t = translations.remove(lang.code()).unwrap_or_default();
        by_lang.push((lang, translate(&config, &t, lang)?));
    }
    if let Some(code) = translations.keys().next() {
        return Err(format!(
            "\"translations\" has {code:?}, which the portal does not speak; it speaks: {}",
            Lang::ALL.map(Lang::code).join(", ")
        ));
    }
    Ok(Configs { by_lang })
}

/// `base` with every text from `t`; names every text `t` lacks, and every text of `t` that
/// `base` does not have (a stale translation).
fn translate(base: &Config, t: &Translation, lang: Lang) -> Result<Config, String> {
    let code = lang.code();
    let mut missing = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    let mut c = base.clone();
    if let Some(name) = &t.product_name {
        c.product_name = name.clone();
    }
    for k in &mut c.kinds {
        let id = k.kind.as_str();
        match t.kinds.get(id) {
            Some(text) => {
                used.insert(format!("kinds.{id}"));
                k.label = text.label.clone();
                k.explanation = text.explanation.clone();
            }
            None => missing.push(format!("kinds.{id}")),
        }
    }
    for l in &mut c.levels {
        let id = l.level.as_str();
        match t.levels.get(id) {
            Some(text) => {
                used.insert(format!("levels.{id}"));
                l.priority = text.priority.clone();
                l.definition = text.definition.clone();
                l.target = text.target.clone();
            }
            None => missing.push(format!("levels.{id}")),
        }
    }
    let mut texts = |section: &str, map: &BTreeMap<String, String>, text: &mut String| match map
        .get(text.as_str())
    {
        Some(tr) => {
            used.insert(format!("{section}.{text}"));
            *text = tr.clone();
        }
        None => missing.push(format!("{section} {text:?}")),
    };
    for a in &mut c.product_areas {
        texts("product_areas", &t.product_areas, &mut a.label);
    }
    for contact in &mut c.escalation_contacts {
        texts(
            "escalation_contacts",
            &t.escalation_contacts,
            &mut contact.name,
        );
    }
    for need in &mut c.support_needs {
        texts("support_needs", &t.support_needs, need);
    }
    for link in &mut c.community {
        texts("community", &t.community, &mut link.name);
    }
    let stale: Vec<String> = t
        .kinds
        .keys()
        .map(|k| format!("kinds.{k}"))
        .chain(t.levels.keys().map(|k| format!("levels.{k}")))
        .chain(t.product_areas.keys().map(|k| format!("product_areas.{k}")))
        .chain(
            t.escalation_contacts
                .keys()
                .map(|k| format!("escalation_contacts.{k}")),
        )
        .chain(t.support_needs.keys().map(|k| format!("support_needs.{k}")))
        .chain(t.community.keys().map(|k| format!("community.{k}")))
        .filter(|k| !used.contains(k))
        .collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("translations.{code} lacks {}", missing.join(", ")));
    }
    if !stale.is_empty() {
        problems.push(format!(
            "translations.{code} translates texts the configuration does not have (stale?): {}",
            stale.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(c)
    } else {
        Err(format!(
            "the configuration has problems: {}.",
            problems.join("; ")
        ))
    }
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
        ("support_247_url", &c.support_247_url),
        ("support_portal_guide_url", &c.support_portal_guide_url),
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
        let all = default_config(&builtin_clocks()).expect("valid");
        let c = all.base();
        assert_eq!(c.product_name, "campusM");
        let fr = all.get(Lang::Fr);
        assert_eq!(fr.kinds.len(), c.kinds.len());
        assert_ne!(fr.levels[0].definition, c.levels[0].definition);
        assert_eq!(fr.product_areas[1].value, c.product_areas[1].value);
        assert_ne!(fr.support_needs[0], c.support_needs[0]);
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
        // Translations: every text, nothing stale, only languages the portal speaks.
        let e = err(edited(|v| {
            v["community"][0]["name"] = serde_json::json!("Our forum");
            v["translations"]["fr"]["kinds"]
                .as_object_mut()
                .map(|k| k.remove("defect"));
        }));
        for part in [
            "translations.fr lacks kinds.defect",
            "community \"Our forum\"",
            "stale",
            "community.Developer Network",
        ] {
            assert!(e.contains(part), "{part} not in: {e}");
        }
        assert!(
            err(edited(|v| v["translations"]["de"] = serde_json::json!({})))
                .contains("does not speak")
        );
    }
}
