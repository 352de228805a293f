//! The employment institutions this package supports, and the username rule of each.

use crate::id::{cpf, curp, Code, IdError, Options};

/// Country of an institution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Country {
    /// Mexico.
    Mx,
    /// Brazil.
    Br,
}

/// What the institution expects as `username`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsernameRule {
    /// A valid CURP.
    Curp,
    /// A valid CPF.
    Cpf,
    /// Belvo's sandbox: any 18 ASCII letters/digits (its test CURP has month 13).
    SandboxCurp,
}

/// One supported Belvo institution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Institution {
    /// Belvo's name, e.g. `imss_mx_employment`.
    pub name: &'static str,
    /// Country.
    pub country: Country,
    /// Username rule.
    pub username: UsernameRule,
    /// Whether a password is required at link creation.
    pub needs_password: bool,
    /// The `fetch_resources` sent when the caller names none.
    pub default_resources: &'static [&'static str],
    /// Every resource the institution supports.
    pub supported_resources: &'static [&'static str],
}

const MX_DEFAULT: &[&str] = &["EMPLOYMENT_RECORDS", "OWNERS"];
const BR_DEFAULT: &[&str] = &["EMPLOYMENTS", "OWNERS"];

/// Defines [`USERNAME_RULES`] and [`TS_INSTITUTION`] from one list.
macro_rules! username_rules {
    ($(($name:literal, $rule:expr),)*) => {
        /// Every supported institution's name and username rule, in [`INSTITUTIONS`] order: all
        /// the validators need (the validator-only wasm then carries no resource lists).
        pub const USERNAME_RULES: [(&str, UsernameRule); [$($name),*].len()] =
            [$(($name, $rule)),*];
        /// TypeScript declaration of the institution names (`Institution`), emitted into the
        /// bindings' `.d.ts`.
        pub const TS_INSTITUTION: &str = concat!(
            "/** Belvo employment institutions supported. */\nexport type Institution =",
            $(" | \"", $name, "\"",)*
            ";"
        );
    };
}

username_rules! {
    ("imss_mx_employment", UsernameRule::Curp),
    ("issste_mx_employment", UsernameRule::Curp),
    ("inss_br_employment", UsernameRule::Cpf),
    ("planet_mx_employment", UsernameRule::SandboxCurp),
}

/// The username rule of an institution, by its Belvo name (exact match).
pub fn username_rule(name: &str) -> Option<UsernameRule> {
    USERNAME_RULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, rule)| rule)
}

/// Every supported institution.
pub const INSTITUTIONS: &[Institution] = &[
    Institution {
        name: USERNAME_RULES[0].0,
        country: Country::Mx,
        username: USERNAME_RULES[0].1,
        needs_password: false,
        default_resources: MX_DEFAULT,
        supported_resources: &["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"],
    },
    Institution {
        name: USERNAME_RULES[1].0,
        country: Country::Mx,
        username: USERNAME_RULES[1].1,
        needs_password: false,
        default_resources: MX_DEFAULT,
        supported_resources: &["EMPLOYMENT_RECORDS", "OWNERS"],
    },
    Institution {
        name: USERNAME_RULES[2].0,
        country: Country::Br,
        username: USERNAME_RULES[2].1,
        needs_password: true,
        default_resources: BR_DEFAULT,
        supported_resources: &["EMPLOYMENTS", "OWNERS"],
    },
    Institution {
        name: USERNAME_RULES[3].0,
        country: Country::Mx,
        username: USERNAME_RULES[3].1,
        needs_password: false,
        default_resources: MX_DEFAULT,
        supported_resources: &["EMPLOYMENT_RECORDS", "OWNERS", "EMPLOYMENT_METRICS"],
    },
];

/// Looks an institution up by its Belvo name (exact match).
pub fn find(name: &str) -> Option<&'static Institution> {
    INSTITUTIONS.iter().find(|i| i.name == name)
}

/// A username accepted by [`validate_username`], in its normalised form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Username {
    /// A valid CURP.
    Curp(curp::Curp),
    /// A valid CPF.
    Cpf(cpf::Cpf),
    /// The sandbox's 18 letters/digits, upper-cased.
    Sandbox([u8; 18]),
}

impl Username {
    /// The normalised username as sent to Belvo.
    pub fn as_str(&self) -> &str {
        match self {
            Username::Curp(c) => c.as_str(),
            Username::Cpf(c) => c.as_str(),
            // Only ASCII alphanumerics are ever stored here.
            Username::Sandbox(b) => crate::id::utf8(b).unwrap_or(""),
        }
    }
}

/// Validates `input` as the username of `institution`.
///
/// Unknown institution → [`Code::Institution`]. The sandbox rule runs the CURP normalisation
/// and character-set checks but not the date/state/check-digit rules.
pub fn validate_username(
    institution: &str,
    input: &str,
    opts: &Options,
) -> Result<Username, IdError> {
    let rule = username_rule(institution).ok_or(IdError::whole(Code::Institution))?;
    match rule {
        UsernameRule::Curp => curp::validate(input, opts).map(Username::Curp),
        UsernameRule::Cpf => cpf::validate(input, opts).map(Username::Cpf),
        UsernameRule::SandboxCurp => curp::validate_sandbox(input, opts).map(Username::Sandbox),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_rules_are_the_institutions_rules() {
        assert_eq!(USERNAME_RULES.len(), INSTITUTIONS.len());
        for inst in INSTITUTIONS {
            assert_eq!(
                username_rule(inst.name),
                Some(inst.username),
                "{}",
                inst.name
            );
        }
        for unknown in ["", "IMSS_MX_EMPLOYMENT", "imss_mx_employment ", "imss"] {
            assert_eq!(username_rule(unknown), None, "{unknown:?}");
            assert!(find(unknown).is_none());
        }
    }
}
