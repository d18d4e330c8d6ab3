//! Attachments: which files support accepts, how large, and how the API recognises what a file
//! really is.
//!
//! The portal checks name, type and size before uploading (so the customer learns at once, not
//! after a long upload), and the API checks again on the bytes it received: the content must match
//! the file's extension ([`sniff`]), so a renamed program or an HTML page posing as a screenshot is
//! refused. Downloads are always sent as attachments, never rendered inline.

use crate::{trf, Lang};

/// One accepted file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// What customers call it: "English|French" where the two differ (read it with [`FileType::name`]).
    pub label: &'static str,
    /// File name extensions (lower case, without the dot).
    pub extensions: &'static [&'static str],
    /// The content type the API stores and sends.
    pub content_type: &'static str,
    /// How the API recognises the content.
    magic: Magic,
}

impl FileType {
    /// The type's name in `lang` (`label` holds "English|French" where the two differ).
    pub fn name(&self, lang: Lang) -> &'static str {
        let mut names = self.label.split('|');
        let en = names.next().unwrap_or(self.label);
        match lang {
            Lang::En => en,
            Lang::Fr => names.next().unwrap_or(en),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    /// The file starts with these bytes.
    Prefix(&'static [u8]),
    /// Either of two prefixes.
    Prefix2(&'static [u8], &'static [u8]),
    /// RIFF container of the given form type (bytes 8..12).
    Riff(&'static [u8]),
    /// ISO base media file (`ftyp` box at byte 4).
    IsoMedia,
    /// UTF-8 text without NUL bytes.
    Text,
}

/// The accepted file types: screenshots, screen recordings, documents, logs and archives.
pub const FILE_TYPES: [FileType; 9] = [
    FileType {
        label: "PNG",
        extensions: &["png"],
        content_type: "image/png",
        magic: Magic::Prefix(b"\x89PNG\r\n\x1a\n"),
    },
    FileType {
        label: "JPEG",
        extensions: &["jpg", "jpeg"],
        content_type: "image/jpeg",
        magic: Magic::Prefix(b"\xff\xd8\xff"),
    },
    FileType {
        label: "GIF",
        extensions: &["gif"],
        content_type: "image/gif",
        magic: Magic::Prefix2(b"GIF87a", b"GIF89a"),
    },
    FileType {
        label: "WebP",
        extensions: &["webp"],
        content_type: "image/webp",
        magic: Magic::Riff(b"WEBP"),
    },
    FileType {
        label: "MP4",
        extensions: &["mp4", "m4v", "mov"],
        content_type: "video/mp4",
        magic: Magic::IsoMedia,
    },
    FileType {
        label: "PDF",
        extensions: &["pdf"],
        content_type: "application/pdf",
        magic: Magic::Prefix(b"%PDF-"),
    },
    FileType {
        label: "ZIP",
        extensions: &["zip"],
        content_type: "application/zip",
        magic: Magic::Prefix2(b"PK\x03\x04", b"PK\x05\x06"),
    },
    FileType {
        label: "text and logs|textes et journaux",
        extensions: &["txt", "log", "csv", "json", "har", "xml"],
        // Every text file is stored and sent as plain text: an XML or JSON file is never
        // interpreted by the browser that downloads it.
        content_type: "text/plain; charset=utf-8",
        magic: Magic::Text,
    },
    FileType {
        label: "iOS and Android logs|journaux iOS et Android",
        extensions: &["crash", "ips", "logcat"],
        content_type: "text/plain; charset=utf-8",
        magic: Magic::Text,
    },
];

/// Limits on attachments (from the deployment configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_bytes: u64,
    /// Most files on one case or one update.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10 * 1024 * 1024,
            max_files: 10,
        }
    }
}

/// Longest stored file name, in characters.
pub const NAME_MAX: usize = 120;

/// The lower-case extension of a file name, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The accepted type for a file name, by its extension.
pub fn type_for_name(name: &str) -> Option<&'static FileType> {
    let ext = extension(name)?;
    FILE_TYPES
        .iter()
        .find(|t| t.extensions.contains(&ext.as_str()))
}

/// "PNG, JPEG, …" — the accepted types in one line, for the form's hint.
pub fn accepted_summary(lang: Lang) -> String {
    FILE_TYPES
        .iter()
        .map(|t| {
            let exts = t.extensions.join(", .");
            format!("{} (.{exts})", t.name(lang))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `accept` attribute for a file input: every accepted extension.
pub fn accept_attribute() -> String {
    FILE_TYPES
        .iter()
        .flat_map(|t| t.extensions.iter().map(|e| format!(".{e}")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The accepted types for people, from [`FILE_TYPES`]: a type with one extension by its name
/// ("PNG"), a type with several by its name and extensions ("text and logs (.txt, .log, …)").
pub fn accepted_types(lang: Lang) -> String {
    FILE_TYPES
        .iter()
        .map(|t| {
            let name = t.name(lang);
            if t.extensions.len() == 1 || t.extensions.iter().all(|e| e.eq_ignore_ascii_case(name))
            {
                name.to_string()
            } else {
                let exts: Vec<String> = t.extensions.iter().map(|e| format!(".{e}")).collect();
                format!("{name} ({})", exts.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A size for people: `512 bytes`, `12.3 KB`, `4.5 MB` (1 KB = 1024 bytes).
pub fn human_size(bytes: u64, lang: Lang) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    // Integer arithmetic only: float formatting would cost the browser bundle ~15 KB.
    let tenths = |unit: u64| (bytes.saturating_mul(10) + unit / 2) / unit;
    let (point, kb, mb) = match lang {
        Lang::En => ('.', "KB", "MB"),
        Lang::Fr => (',', "Ko", "Mo"),
    };
    if bytes < KB {
        trf!(lang, en: "{bytes} bytes", fr: "{bytes} octets")
    } else if bytes < MB {
        let t = tenths(KB);
        format!("{}{point}{} {kb}", t / 10, t % 10)
    } else {
        let t = tenths(MB);
        format!("{}{point}{} {mb}", t / 10, t % 10)
    }
}

/// Checks a file before it is uploaded: its type by name and its size. `already` is how many
/// files are attached so far. The message says what to do instead.
pub fn precheck(
    name: &str,
    size: u64,
    already: usize,
    limits: Limits,
    lang: Lang,
) -> Result<(), String> {
    let shown = display_name(name);
    if already >= limits.max_files {
        let max = limits.max_files;
        return Err(trf!(lang,
            en: "“{shown}” was not added: at most {max} files can be attached. Remove one first, or put several into one ZIP.",
            fr: "« {shown} » n’a pas été ajouté : {max} fichiers au plus peuvent être joints. Retirez-en un d’abord, ou regroupez-en plusieurs dans un ZIP."));
    }
    if type_for_name(name).is_none() {
        return Err(match extension(name) {
            Some(e) => trf!(lang,
                en: "“{shown}” is a .{e} file, which support does not accept. Attach PNG, JPEG, GIF, WebP, MP4, PDF, ZIP or text files; put anything else into a ZIP.",
                fr: "« {shown} » est un fichier .{e}, que le support n’accepte pas. Joignez des fichiers PNG, JPEG, GIF, WebP, MP4, PDF, ZIP ou texte ; mettez tout autre fichier dans un ZIP."),
            None => trf!(lang,
                en: "“{shown}” has no file type, which support does not accept. Attach PNG, JPEG, GIF, WebP, MP4, PDF, ZIP or text files; put anything else into a ZIP.",
                fr: "« {shown} » n’a pas de type de fichier, ce que le support n’accepte pas. Joignez des fichiers PNG, JPEG, GIF, WebP, MP4, PDF, ZIP ou texte ; mettez tout autre fichier dans un ZIP."),
        });
    }
    if size == 0 {
        return Err(trf!(lang,
            en: "“{shown}” is empty. Attach the file again once it has content.",
            fr: "« {shown} » est vide. Joignez le fichier de nouveau quand il aura un contenu."));
    }
    if size > limits.max_bytes {
        let (size, max) = (human_size(size, lang), human_size(limits.max_bytes, lang));
        return Err(trf!(lang,
            en: "“{shown}” is {size}; the limit is {max} per file. Compress it, shorten the recording, or attach a part of it.",
            fr: "« {shown} » fait {size} ; la limite est de {max} par fichier. Compressez-le, raccourcissez l’enregistrement, ou joignez-en une partie."));
    }
    Ok(())
}

/// A safe file name to store and show: the last path component, without control characters or
/// quotes, at most [`NAME_MAX`] characters (the extension is kept).
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\u{202e}' | '\u{202d}'))
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    if clean.is_empty() {
        return "attachment".into();
    }
    if clean.chars().count() <= NAME_MAX {
        return clean.to_string();
    }
    match extension(clean) {
        Some(ext) if ext.chars().count() < 16 => {
            let keep = NAME_MAX - ext.chars().count() - 2;
            let stem: String = clean.chars().take(keep).collect();
            format!("{stem}….{ext}")
        }
        _ => clean.chars().take(NAME_MAX).collect(),
    }
}

/// Recognises a received file: the accepted type its extension names, provided the content is
/// really of that type. `Err` carries the customer's message (the API answers 415 with it).
pub fn sniff(name: &str, bytes: &[u8], lang: Lang) -> Result<&'static FileType, String> {
    let shown = display_name(name);
    let Some(t) = type_for_name(name) else {
        let accepted = accepted_summary(lang);
        return Err(trf!(lang,
            en: "“{shown}” is not a file type support accepts: {accepted}. Put other files into a ZIP.",
            fr: "« {shown} » n’est pas un type de fichier que le support accepte : {accepted}. Mettez les autres fichiers dans un ZIP."));
    };
    if bytes.is_empty() {
        return Err(trf!(lang, en: "“{shown}” is empty.", fr: "« {shown} » est vide."));
    }
    let ok = match t.magic {
        Magic::Prefix(p) => bytes.starts_with(p),
        Magic::Prefix2(a, b) => bytes.starts_with(a) || bytes.starts_with(b),
        Magic::Riff(form) => bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(form),
        Magic::IsoMedia => bytes.get(4..8) == Some(b"ftyp"),
        Magic::Text => !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
    };
    if ok {
        Ok(t)
    } else {
        let what = t.name(lang);
        Err(trf!(lang,
            en: "“{shown}” is named like a {what} file, but its content is not. Attach the original file, or put it into a ZIP.",
            fr: "« {shown} » porte le nom d’un fichier {what}, mais son contenu n’en est pas un. Joignez le fichier d’origine, ou mettez-le dans un ZIP."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accepted_types_hint_names_every_extension() {
        let en = accepted_types(Lang::En);
        assert!(en.starts_with("PNG, JPEG (.jpg, .jpeg), GIF"), "{en}");
        for t in FILE_TYPES {
            for e in t.extensions {
                let named = en.to_ascii_lowercase().split(", ").any(|n| n == *e);
                assert!(
                    en.contains(&format!(".{e}")) || named,
                    "{e} missing from {en}"
                );
            }
        }
        assert!(
            accepted_types(Lang::Fr).contains("journaux iOS et Android (.crash, .ips, .logcat)")
        );
    }
    use proptest::prelude::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn sniffing_matches_content_to_the_extension() {
        assert_eq!(
            sniff("shot.PNG", PNG, Lang::En).map(|t| t.content_type),
            Ok("image/png")
        );
        assert!(
            sniff("shot.jpg", PNG, Lang::En).is_err(),
            "a PNG named .jpg is refused"
        );
        assert!(sniff("page.png", b"<html><script>alert(1)</script>", Lang::En).is_err());
        assert!(sniff("run.exe", b"MZ\x90\0", Lang::En).is_err());
        assert!(sniff("empty.txt", b"", Lang::En).is_err());
        assert_eq!(
            sniff("app.log", "Fehler: ü".as_bytes(), Lang::En).map(|t| t.content_type),
            Ok("text/plain; charset=utf-8")
        );
        assert!(sniff("binary.log", b"ab\0cd", Lang::En).is_err());
        assert!(sniff("clip.mp4", b"\0\0\0\x18ftypmp42", Lang::En).is_ok());
        assert!(sniff("a.webp", b"RIFF\0\0\0\0WEBPVP8 ", Lang::En).is_ok());
        assert!(sniff("a.webp", b"RIFF\0\0\0\0WAVEfmt ", Lang::En).is_err());
        assert!(sniff("page.html", b"<p>", Lang::En)
            .unwrap_err()
            .contains("not a file type"));
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(display_name("C:\\Users\\me\\shot.png"), "shot.png");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a\"b\n.txt"), "ab.txt");
        assert_eq!(display_name("   "), "attachment");
        assert_eq!(display_name(".hidden.txt"), "hidden.txt");
        let long = format!("{}.png", "x".repeat(300));
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), NAME_MAX);
        assert!(shown.ends_with(".png"));
    }

    #[test]
    fn precheck_explains_type_size_and_count() {
        let l = Limits::default();
        assert_eq!(precheck("a.png", 1000, 0, l, Lang::En), Ok(()));
        assert!(precheck("a.exe", 10, 0, l, Lang::En)
            .unwrap_err()
            .contains("is a .exe file"));
        assert!(precheck("README", 10, 0, l, Lang::En)
            .unwrap_err()
            .contains("has no file type"));
        let big = precheck("movie.mp4", 11 * 1024 * 1024, 0, l, Lang::En).unwrap_err();
        assert!(big.contains("11.0 MB") && big.contains("10.0 MB"), "{big}");
        assert!(precheck("a.png", 0, 0, l, Lang::En)
            .unwrap_err()
            .contains("empty"));
        assert!(precheck("a.png", 10, 10, l, Lang::En)
            .unwrap_err()
            .contains("at most 10"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(512, Lang::En), "512 bytes");
        assert_eq!(human_size(1536, Lang::Fr), "1,5 Ko");
        assert_eq!(human_size(1536, Lang::En), "1.5 KB");
        assert_eq!(human_size(10 * 1024 * 1024, Lang::En), "10.0 MB");
        assert_eq!(human_size(1024 * 1024 - 1, Lang::En), "1024.0 KB");
        assert_eq!(
            human_size(11 * 1024 * 1024 + 60 * 1024, Lang::En),
            "11.1 MB"
        );
    }

    #[test]
    fn the_accept_attribute_lists_every_extension() {
        let a = accept_attribute();
        for t in FILE_TYPES {
            for e in t.extensions {
                assert!(a.contains(&format!(".{e}")));
            }
        }
    }

    proptest! {
        #[test]
        fn display_names_are_always_safe(raw in "\\PC{0,300}") {
            let n = display_name(&raw);
            prop_assert!(!n.is_empty());
            prop_assert!(n.chars().count() <= NAME_MAX);
            prop_assert!(!n.contains(['/', '\\', '"']));
            prop_assert!(!n.chars().any(char::is_control));
        }

        #[test]
        fn sniff_never_accepts_an_unlisted_extension(bytes in proptest::collection::vec(any::<u8>(), 0..64), ext in "[a-z]{1,5}") {
            let name = format!("file.{ext}");
            if type_for_name(&name).is_none() {
                prop_assert!(sniff(&name, &bytes, Lang::En).is_err());
            }
        }
    }
}
