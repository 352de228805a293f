//! Localised error messages (es-MX, pt-BR, en).
//!
//! Built from fixed texts and character numbers, written into any [`Sink`] (a `String`).
//! Messages name 1-based character numbers and what was expected, and never include the
//! identifier itself.

use crate::id::{Code, Expected, IdError, Kind, Locale};
use crate::text::tr;

/// Where a message is written: text is appended piece by piece.
pub trait Sink {
    /// Appends `s`.
    fn push_str(&mut self, s: &str);
}

impl Sink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
}

/// The three translations of one text (es, pt, en), as one string: see [`tr!`].
type Tr = &'static str;

fn pick(locale: Locale, t: Tr) -> &'static str {
    crate::text::part(t, locale as usize)
}

/// Appends a decimal number.
fn push_u32<S: Sink + ?Sized>(out: &mut S, mut v: u32) {
    let mut digits = [0u8; 10];
    let mut n = digits.len();
    loop {
        n -= 1;
        if let Some(slot) = digits.get_mut(n) {
            // `v % 10` is below 10, so the cast and the addition cannot overflow.
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    if let Some(s) = digits.get(n..).and_then(super::utf8) {
        out.push_str(s);
    }
}

/// A small builder: `t` a translated text, `num` a number.
struct Msg<'a, S: Sink + ?Sized> {
    out: &'a mut S,
    locale: Locale,
}

impl<S: Sink + ?Sized> Msg<'_, S> {
    fn t(&mut self, t: Tr) -> &mut Self {
        self.out.push_str(pick(self.locale, t));
        self
    }

    fn num(&mut self, v: u32) -> &mut Self {
        push_u32(self.out, v);
        self
    }
}

const CHARACTER: Tr = tr!("El carácter ", "O caractere ", "Character ");
const MUST_BE: Tr = tr!(" debe ser ", " deve ser ", " must be ");

fn expected_text(kind: Kind, e: Expected, position: u32) -> Option<Tr> {
    Some(match e {
        Expected::Letter => tr!("una letra (A–Z)", "uma letra (A–Z)", "a letter (A–Z)"),
        Expected::VowelOrX => tr!(
            "una vocal (A, E, I, O, U) o X",
            "uma vogal (A, E, I, O, U) ou X",
            "a vowel (A, E, I, O, U) or X",
        ),
        Expected::Digit => tr!("un dígito (0–9)", "um dígito (0–9)", "a digit (0–9)"),
        Expected::Sex => tr!("H, M o X", "H, M ou X", "H, M or X"),
        Expected::ConsonantOrX => tr!(
            "una consonante o X",
            "uma consoante ou X",
            "a consonant or X",
        ),
        Expected::DigitOrLetter => tr!(
            "un dígito o una letra",
            "um dígito ou uma letra",
            "a digit or a letter",
        ),
        Expected::Format if kind == Kind::Cpf && position == 11 => tr!(
            "un guion «-» (formato 000.000.000-00)",
            "um hífen «-» (formato 000.000.000-00)",
            "a hyphen \"-\" (format 000.000.000-00)",
        ),
        Expected::Format => tr!(
            "un punto «.» (formato 000.000.000-00)",
            "um ponto «.» (formato 000.000.000-00)",
            "a dot \".\" (format 000.000.000-00)",
        ),
        _ => return None,
    })
}

fn character<S: Sink + ?Sized>(m: &mut Msg<'_, S>, kind: Kind, e: Expected, pos: u32) {
    match e {
        Expected::NotEnye => {
            m.t(CHARACTER).num(pos).t(tr!(
                " es una Ñ: en la CURP, RENAPO escribe X en lugar de Ñ.",
                " é um Ñ: na CURP, o RENAPO escreve X no lugar de Ñ.",
                " is an Ñ: in a CURP, RENAPO writes X instead of Ñ.",
            ));
        }
        Expected::Allowed if kind == Kind::Cpf => {
            m.t(CHARACTER).num(pos).t(tr!(
                " no está permitido: el CPF solo lleva dígitos (y, opcionalmente, puntos y guion).",
                " não é permitido: o CPF só tem dígitos (e, opcionalmente, pontos e hífen).",
                " is not allowed: a CPF has only digits (and optionally dots and a hyphen).",
            ));
        }
        Expected::Allowed => {
            m.t(CHARACTER).num(pos).t(tr!(
                " no está permitido: la CURP solo lleva letras A–Z y dígitos.",
                " não é permitido: a CURP só tem letras A–Z e dígitos.",
                " is not allowed: a CURP has only letters A–Z and digits.",
            ));
        }
        other => match expected_text(kind, other, pos.saturating_sub(1)) {
            Some(t) => {
                m.t(CHARACTER)
                    .num(pos)
                    .t(MUST_BE)
                    .t(t)
                    .t(tr!(".", ".", "."));
            }
            None => {
                m.t(CHARACTER).num(pos).t(tr!(
                    " no es válido en esa posición.",
                    " não é válido nessa posição.",
                    " is not valid in that position.",
                ));
            }
        },
    }
}

/// The localised message for a validation error. `kind` selects the identifier's wording.
///
/// Every message that concerns one character names it by its 1-based number; length
/// messages give the expected and the found count. The identifier itself is never quoted.
pub fn message(kind: Kind, err: &IdError, locale: Locale) -> String {
    let mut out = String::new();
    write_message(kind, err, locale, &mut out);
    out
}

/// [`message`], appended to any [`Sink`] (no allocation of its own).
pub fn write_message<S: Sink + ?Sized>(kind: Kind, err: &IdError, locale: Locale, out: &mut S) {
    let mut m = Msg { out, locale };
    // 1-based character number (0 when the error has no position).
    let pos = err.position.map_or(0, |p| p.saturating_add(1));
    let curp = kind == Kind::Curp;
    match err.code {
        Code::Empty if curp => {
            m.t(tr!("Escribe la CURP.", "Digite a CURP.", "Enter the CURP."));
        }
        Code::Empty => {
            m.t(tr!("Escribe el CPF.", "Digite o CPF.", "Enter the CPF."));
        }
        Code::Character => character(&mut m, kind, err.expected, pos),
        Code::Length if curp => {
            m.t(tr!(
                "La CURP debe tener 18 caracteres; tiene ",
                "A CURP deve ter 18 caracteres; tem ",
                "A CURP must have 18 characters; it has ",
            ))
            .num(err.found_len)
            .t(tr!(".", ".", "."));
        }
        Code::Length => {
            m.t(tr!(
                "El CPF debe tener 11 dígitos; tiene ",
                "O CPF deve ter 11 dígitos; tem ",
                "A CPF must have 11 digits; it has ",
            ))
            .num(err.found_len)
            .t(tr!(".", ".", "."));
        }
        Code::Date if pos == 17 => {
            m.t(CHARACTER).num(pos).t(tr!(
                " (un dígito) indica nacimiento antes del año 2000, y en ese año la fecha no \
                 existe: el 29 de febrero solo existe en años bisiestos.",
                " (um dígito) indica nascimento antes do ano 2000, e nesse ano a data não \
                 existe: 29 de fevereiro só existe em anos bissextos.",
                " (a digit) dates the birth before 2000, and in that year the date does not \
                 exist: February 29 only exists in leap years.",
            ));
        }
        Code::Date if err.expected == Expected::Month => {
            m.t(CHARACTER).num(pos).t(tr!(
                " hace imposible el mes de nacimiento (caracteres 7 y 8, de 01 a 12).",
                " torna impossível o mês de nascimento (caracteres 7 e 8, de 01 a 12).",
                " makes the birth month impossible (characters 7 and 8, 01 to 12).",
            ));
        }
        Code::Date => {
            m.t(CHARACTER).num(pos).t(tr!(
                " hace imposible el día de nacimiento (caracteres 9 y 10): ese día no existe \
                 en ese mes.",
                " torna impossível o dia de nascimento (caracteres 9 e 10): esse dia não \
                 existe nesse mês.",
                " makes the birth day impossible (characters 9 and 10): that day does not \
                 exist in that month.",
            ));
        }
        Code::FutureDate if pos == 17 => {
            m.t(CHARACTER).num(pos).t(tr!(
                " es una letra, que indica nacimiento en el año 2000 o después: la fecha de \
                 nacimiento quedaría en el futuro. ¿Escribiste la letra O en lugar del cero?",
                " é uma letra, que indica nascimento no ano 2000 ou depois: a data de \
                 nascimento ficaria no futuro. Você digitou a letra O no lugar do zero?",
                " is a letter, which dates the birth to 2000 or later: the birth date would be \
                 in the future. Did you type the letter O instead of the digit zero?",
            ));
        }
        Code::FutureDate => {
            m.t(CHARACTER).num(pos).t(tr!(
                " hace que la fecha de nacimiento quede en el futuro.",
                " faz a data de nascimento ficar no futuro.",
                " puts the birth date in the future.",
            ));
        }
        Code::Sex => {
            m.t(CHARACTER)
                .num(pos)
                .t(MUST_BE)
                .t(tr!("H, M o X", "H, M ou X", "H, M or X"))
                .t(tr!(" (sexo).", " (sexo).", " (sex)."));
        }
        Code::State => {
            m.t(tr!(
                "Los caracteres 12 y 13 deben ser la clave de una entidad federativa (p. ej. JC, \
                 DF) o NE (nacido en el extranjero); el carácter ",
                "Os caracteres 12 e 13 devem ser a sigla de um estado mexicano (p. ex. JC, DF) \
                 ou NE (nascido no exterior); o caractere ",
                "Characters 12 and 13 must be a Mexican state code (e.g. JC, DF) or NE (born \
                 abroad); character ",
            ))
            .num(pos)
            .t(tr!(
                " no corresponde a ninguna.",
                " não corresponde a nenhuma.",
                " matches none.",
            ));
        }
        Code::InconvenientWord => {
            m.t(tr!(
                "Los caracteres 1 a 4 forman una palabra inconveniente que RENAPO no asigna: en \
                 esos casos escribe X en el carácter ",
                "Os caracteres 1 a 4 formam uma palavra inconveniente que o RENAPO não atribui: \
                 nesses casos ele escreve X no caractere ",
                "Characters 1 to 4 spell a word RENAPO never issues: it writes X in character ",
            ))
            .num(pos)
            .t(tr!(".", ".", " instead."));
        }
        Code::CheckDigit if curp => {
            m.t(tr!("El carácter ", "O caractere ", "Character "))
                .num(pos)
                .t(tr!(
                    " (dígito verificador) no coincide: revisa que no haya errores de captura.",
                    " (dígito verificador) não confere: verifique se não há erro de digitação.",
                    " (the check digit) does not match: check for typing mistakes.",
                ));
        }
        Code::CheckDigit => {
            m.t(tr!(
                "El dígito verificador en el carácter ",
                "O dígito verificador no caractere ",
                "The check digit at character ",
            ))
            .num(pos)
            .t(tr!(
                " no coincide: revisa que no haya errores de captura.",
                " não confere: verifique se não há erro de digitação.",
                " does not match: check for typing mistakes.",
            ));
        }
        Code::Repeated => {
            m.t(tr!(
                "Un CPF no puede tener los 11 dígitos iguales.",
                "O CPF não pode ter os 11 dígitos iguais.",
                "A CPF cannot have all 11 digits equal.",
            ));
        }
        Code::Type => {
            m.t(tr!(
                "El valor debe ser un texto.",
                "O valor deve ser um texto.",
                "The value must be a string.",
            ));
        }
        Code::Institution => {
            m.t(tr!(
                "Institución desconocida.",
                "Instituição desconhecida.",
                "Unknown institution.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        for (v, s) in [
            (0u32, "0"),
            (7, "7"),
            (10, "10"),
            (18, "18"),
            (4_294_967_295, "4294967295"),
        ] {
            let mut out = String::new();
            push_u32(&mut out, v);
            assert_eq!(out, s);
        }
    }
}
