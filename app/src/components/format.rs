//! Words for catalog values: time limits, fees, kinds, online levels, dates — in the page language.

use time::Date;

use crate::domain::item::{Fee, ItemKind, Limit, LimitKind, MaterialForm, OnlineLevel};
use crate::domain::text::Lang;
use crate::i18n::t;

pub fn limit(limit: &Limit, lang: Lang) -> String {
    let s = t(lang);
    let sep = " ";
    let mut out = match limit.kind {
        LimitKind::OnTheSpot => s.on_the_spot.to_owned(),
        LimitKind::WorkingDays(n) => format!("{n}{sep}{}", s.working_days),
        LimitKind::CalendarDays(n) => format!("{n}{sep}{}", s.calendar_days),
        LimitKind::None => s.limit_none.to_owned(),
        LimitKind::Local => s.limit_local.to_owned(),
    };
    if let Some(extra) = limit.extension_days {
        out.push_str(&format!(
            "{}{sep}{extra}{sep}{}",
            s.extension_prefix, s.working_days
        ));
    }
    out
}

pub fn fee(fee: &Fee, lang: Lang) -> String {
    let s = t(lang);
    if fee.yuan <= 0.0 {
        s.free.to_owned()
    } else {
        match lang {
            Lang::Zh => format!("{} {}", money(fee.yuan), s.yuan),
            Lang::En => format!("¥{}", money(fee.yuan)),
        }
    }
}

fn money(yuan: f64) -> String {
    if yuan.fract() == 0.0 {
        format!("{yuan:.0}")
    } else {
        format!("{yuan:.2}")
    }
}

pub fn kind(kind: ItemKind, lang: Lang) -> &'static str {
    let s = t(lang);
    match kind {
        ItemKind::Licensing => s.kind_licensing,
        ItemKind::PublicService => s.kind_public_service,
        ItemKind::Filing => s.kind_filing,
        ItemKind::Confirmation => s.kind_confirmation,
        ItemKind::Other => s.kind_other,
    }
}

pub fn online(level: OnlineLevel, lang: Lang) -> &'static str {
    let s = t(lang);
    match level {
        OnlineLevel::Info => s.online_info,
        OnlineLevel::Download => s.online_download,
        OnlineLevel::ApplyOnline => s.online_apply,
        OnlineLevel::FullyOnline => s.online_full,
    }
}

pub fn material_form(form: MaterialForm, lang: Lang) -> &'static str {
    let s = t(lang);
    match form {
        MaterialForm::Original => s.original,
        MaterialForm::Copy => s.copy,
        MaterialForm::OriginalAndCopy => s.original_and_copy,
        MaterialForm::Electronic => s.electronic,
    }
}

/// A date as people write it: 2026年3月5日 / 5 March 2026.
pub fn date(date: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        Lang::En => format!("{} {} {}", date.day(), date.month(), date.year()),
    }
}

/// An ISO date string (as sent over the wire) formatted for people; unchanged if it does not parse.
pub fn iso_date(iso: &str, lang: Lang) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(iso, &format)
        .map(|d| date(d, lang))
        .unwrap_or_else(|_| iso.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_in_words() {
        let mut l = Limit::new(LimitKind::WorkingDays(20));
        l.extension_days = Some(10);
        assert_eq!(limit(&l, Lang::Zh), "20 个工作日，经批准可延长 10 个工作日");
        assert_eq!(
            limit(&l, Lang::En),
            "20 working days; can be extended by 10 working days"
        );
        assert_eq!(limit(&Limit::new(LimitKind::OnTheSpot), Lang::Zh), "即办");
    }

    #[test]
    fn dates_in_words() {
        let d = time::macros::date!(2026 - 03 - 05);
        assert_eq!(date(d, Lang::Zh), "2026年3月5日");
        assert_eq!(date(d, Lang::En), "5 March 2026");
        assert_eq!(iso_date("2026-10-08", Lang::Zh), "2026年10月8日");
        assert_eq!(iso_date("garbage", Lang::Zh), "garbage");
    }
}
