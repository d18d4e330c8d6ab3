//! Deployment configuration served at `GET /api/v1/config`, so the portal renders kinds, levels,
//! regions and contacts from one source.

use portal_core::clock::RegionClock;
use portal_core::model::{Config, Contact, KindInfo, LevelInfo, Link, RegionInfo};
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
        support_needs: vec![
            "Working app credentials, so support can sign in and see what your users see.".into(),
            "A scenario: the steps that reproduce the problem, what you expected and what happened.".into(),
            "Working remote access to your local Connect Layer, if your solution has one.".into(),
            "Check the campusM knowledge articles first: many issues come from changes on the university side and can be fixed without a case.".into(),
        ],
        community: [
            ("Developer Network", "https://developers.exlibrisgroup.com/campusm/"),
            ("Customer Slack channel", "https://campusm-community.slack.com/"),
            ("campusM mailing list (JISCMail)", "https://www.jiscmail.ac.uk/cgi-bin/webadmin?A0=CAMPUSM"),
            ("Regional user conferences", "https://exlibrisgroup.com/events/"),
        ]
        .map(|(name, url)| Link { name: name.into(), url: url.into() })
        .to_vec(),
        attachment_limits: portal_core::attachment::Limits::default(),
    }
}
