//! Both languages' translators, loaded once for the app's life (parsing the Fluent files is
//! not free: never per frame).

use crate::lang::Lang;
use bevy::prelude::*;
use hall_core::i18n::Translator;

#[derive(Resource)]
pub struct Tr {
    pub ar: Translator,
    pub en: Translator,
}

impl Default for Tr {
    fn default() -> Tr {
        Tr::new()
    }
}

impl Tr {
    pub fn new() -> Tr {
        Tr {
            ar: Translator::new("ar"),
            en: Translator::new("en"),
        }
    }

    pub fn get(&self, lang: Lang) -> &Translator {
        match lang {
            Lang::Ar => &self.ar,
            Lang::En => &self.en,
        }
    }

    /// A text in each of `langs`, in order, joined as the board shows bilingual lines.
    pub fn both(&self, langs: &[Lang], f: impl Fn(&Translator) -> String) -> String {
        langs
            .iter()
            .map(|l| f(self.get(*l)))
            .collect::<Vec<_>>()
            .join("  ·  ")
    }
}
