//! Deployment configuration served at `GET /api/v1/config`, so the portal renders kinds, levels,
//! regions and contacts from one source.

use portal_core::clock::RegionClock;
use portal_core::model::{Config, Contact, KindInfo, LevelInfo, RegionInfo};
use portal_core::{Level, RequestKind};

/// The configuration of the reference deployment: policy texts come from `portal-core`, the rest
/// (links, contacts, product areas) is deployment data.
pub fn default_config(clocks: &[RegionClock]) -> Config {
    Config {
        product_name: "campusM".into(),
        kinds: RequestKind::ALL
            .into_iter()
            .map(|k| KindInfo {
                kind: k,
                route: k.route(),
                label: k.label().into(),
                explanation: k.explanation().into(),
            })
            .collect(),
        levels: Level::ALL
            .into_iter()
            .map(|l| LevelInfo {
                level: l,
                priority: l.priority().into(),
                definition: l.definition().into(),
                target: l.target_text().into(),
                clock: l.clock(),
            })
            .collect(),
        regions: clocks
            .iter()
            .map(|c| RegionInfo {
                id: c.region.id.clone(),
                name: c.region.name.clone(),
                time_zone: c.region.time_zone.clone(),
            })
            .collect(),
        product_areas: [
            "App (iOS / Android)",
            "Web app",
            "App Manager / CMS",
            "Campus maps",
            "Timetable",
            "Library integration",
            "Authentication / SSO",
            "Push notifications",
            "Connect Layer / integrations",
            "Other",
        ]
        .map(String::from)
        .to_vec(),
        ideas_exchange_url: "https://ideas.exlibrisgroup.com/forums/308176-campusm".into(),
        escalation_contacts: vec![
            Contact {
                name: "24/7 support line (EMEA)".into(),
                email: "campusm.support@exlibrisgroup.com".into(),
                phone: Some("+44 20 3880 0000".into()),
            },
            Contact {
                name: "24/7 support line (Americas)".into(),
                email: "campusm.support@exlibrisgroup.com".into(),
                phone: Some("+1 312 000 0000".into()),
            },
        ],
        escalation_policy_url:
            "https://knowledge.exlibrisgroup.com/Cross_Product/Knowledge_Articles/Escalation_Policy"
                .into(),
        knowledge_center_url: "https://knowledge.exlibrisgroup.com/campusM".into(),
    }
}
