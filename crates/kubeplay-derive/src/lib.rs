//! `#[derive(Decode, Encode)]` for kubeplay's API types.
//!
//! `Decode` reads a struct from a located YAML tree (`kubeplay_core::yaml::Node`)
//! the way the API server's strict decoder does: fields by their JSON names,
//! unknown fields an error where the struct says `deny_unknown_fields`.
//! `Encode` writes it as a JSON value, the form every printer reads, and as
//! compact JSON text with the fields in declaration order (what the
//! pod-template hash is computed over).
//!
//! The generated code is deliberately plain and small, as the browser
//! bundle carries one copy per API type (serde's derive made nearly three
//! times as much code). A decoder starts from the struct's `Default` and
//! hands its field names to one shared reader of mappings, which calls back
//! with the index of each field it finds; the callback is one match over
//! those indices, one call per field to the shared decoder of the field's
//! type. An encoder lists the struct's fields, each with its name, to one
//! shared writer of JSON values and one of JSON text, which encode each
//! through its type's `Encode`.
//!
//! A decoded struct must be `Default`: a field absent from the mapping keeps
//! the value it has there.
//!
//! Attributes, under `#[wire(...)]`:
//! - on the struct: `rename_all = "camelCase"`, `deny_unknown_fields`,
//!   `from = "T"` (decode as `T`, then convert), `into = "T"` (convert a
//!   clone to `T`, then encode);
//! - on a field: `rename = "name"`, `default` (absent means
//!   `Default::default()`), `skip_serializing_if = "path"`,
//!   `deserialize_with = "path"` (a `fn(&Node, &Path) -> Result<T, Error>`),
//!   `flatten` (the field's own fields sit in this mapping).

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr};

#[derive(Default)]
struct Container {
    camel: bool,
    deny_unknown: bool,
    from: Option<syn::Type>,
    into: Option<syn::Type>,
}

#[derive(Default)]
struct Field {
    rename: Option<String>,
    default: bool,
    skip_if: Option<syn::ExprPath>,
    with: Option<syn::ExprPath>,
    flatten: bool,
}

/// Runs `each` on every item of the `#[wire(...)]` attributes in `attrs`.
fn wire_items(
    attrs: &[syn::Attribute],
    mut each: impl FnMut(ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("wire")) {
        attr.parse_nested_meta(&mut each)?;
    }
    Ok(())
}

/// The string after `=` in an item such as `rename = "type"`.
fn text(m: &ParseNestedMeta) -> syn::Result<LitStr> {
    m.value()?.parse()
}

fn container(input: &DeriveInput) -> syn::Result<Container> {
    let mut c = Container::default();
    wire_items(&input.attrs, |m| {
        if m.path.is_ident("rename_all") {
            if text(&m)?.value() != "camelCase" {
                return Err(m.error("only rename_all = \"camelCase\" is supported"));
            }
            c.camel = true;
        } else if m.path.is_ident("deny_unknown_fields") {
            c.deny_unknown = true;
        } else if m.path.is_ident("from") {
            c.from = Some(text(&m)?.parse()?);
        } else if m.path.is_ident("into") {
            c.into = Some(text(&m)?.parse()?);
        } else {
            return Err(m.error("unknown wire attribute"));
        }
        Ok(())
    })?;
    Ok(c)
}

fn field(f: &syn::Field) -> syn::Result<Field> {
    let mut out = Field::default();
    wire_items(&f.attrs, |m| {
        if m.path.is_ident("rename") {
            out.rename = Some(text(&m)?.value());
        } else if m.path.is_ident("default") {
            out.default = true;
        } else if m.path.is_ident("skip_serializing_if") {
            out.skip_if = Some(text(&m)?.parse()?);
        } else if m.path.is_ident("deserialize_with") {
            out.with = Some(text(&m)?.parse()?);
        } else if m.path.is_ident("flatten") {
            out.flatten = true;
        } else {
            return Err(m.error("unknown wire attribute"));
        }
        Ok(())
    })?;
    Ok(out)
}

/// serde's `camelCase` for a field: underscores dropped, the letter after
/// each one capitalised.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.push(ch.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

struct Parsed<'a> {
    container: Container,
    fields: Vec<(&'a syn::Field, Field, String)>,
}

fn parse(input: &DeriveInput) -> syn::Result<Parsed<'_>> {
    let container = container(input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            input,
            "Decode and Encode are for structs",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(syn::Error::new_spanned(
            input,
            "Decode and Encode are for structs with named fields",
        ));
    };
    let mut fields = Vec::new();
    for f in &named.named {
        let attrs = field(f)?;
        let ident = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
        let ident = ident.strip_prefix("r#").unwrap_or(&ident).to_string();
        let wire = match &attrs.rename {
            Some(r) => r.clone(),
            None if container.camel => camel(&ident),
            None => ident,
        };
        fields.push((f, attrs, wire));
    }
    Ok(Parsed { container, fields })
}

#[proc_macro_derive(Decode, attributes(wire))]
pub fn derive_decode(input: TokenStream) -> TokenStream {
    expand(input, decode)
}

#[proc_macro_derive(Encode, attributes(wire))]
pub fn derive_encode(input: TokenStream) -> TokenStream {
    expand(input, encode)
}

fn expand(input: TokenStream, derive: fn(&DeriveInput) -> syn::Result<Tokens>) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn decode(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let (imp, ty, wher) = input.generics.split_for_impl();
    let p = parse(input)?;
    let body = if let Some(from) = &p.container.from {
        quote! {
            <#from as crate::codec::Decode>::decode(node, path).map(::core::convert::From::from)
        }
    } else {
        let mut names = Vec::new();
        let mut arms = Vec::new();
        let mut required = Vec::new();
        let mut flattened = Vec::new();
        for (f, a, wire) in &p.fields {
            let ident = &f.ident;
            let fty = &f.ty;
            if a.flatten {
                flattened.push(quote! {
                    out.#ident = crate::codec::Decode::decode(node, path)?;
                });
                continue;
            }
            let i = names.len();
            if i == 64 {
                return Err(syn::Error::new_spanned(
                    input,
                    "Decode reads at most 64 fields (one bit each)",
                ));
            }
            names.push(wire);
            arms.push(match &a.with {
                Some(w) => quote! { #i => { o.#ident = #w(value, here)?; Ok(()) } },
                None => quote! { #i => crate::codec::set(&mut o.#ident, value, here), },
            });
            if !a.default {
                let bit = 1u64 << i;
                required.push(quote! {
                    if <#fty as crate::codec::Decode>::OPTIONAL { 0 } else { #bit }
                });
            }
        }
        let deny = p.container.deny_unknown;
        quote! {
            const FIELDS: &[&str] = &[#(#names),*];
            const REQUIRED: u64 = 0 #(| #required)*;
            let mut out: Self = ::core::default::Default::default();
            // (a `move` closure holds this one pointer, not one per field)
            let o = &mut out;
            let seen = crate::codec::decode_fields(node, path, FIELDS, #deny, &mut move |i, value, here| {
                match i {
                    #(#arms)*
                    _ => Ok(()),
                }
            })?;
            #(#flattened)*
            crate::codec::check_required(node, path, FIELDS, REQUIRED, seen)?;
            Ok(out)
        }
    };
    Ok(quote! {
        impl #imp crate::codec::Decode for #name #ty #wher {
            fn decode(
                node: &crate::yaml::Node,
                path: &crate::codec::Path<'_>,
            ) -> ::core::result::Result<Self, crate::codec::Error> {
                #body
            }
        }
    })
}

fn encode(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let (imp, ty, wher) = input.generics.split_for_impl();
    let p = parse(input)?;
    let (fields, body, write) = if let Some(into) = &p.container.into {
        let wire = quote! {
            <#into as ::core::convert::From<Self>>::from(::core::clone::Clone::clone(self))
        };
        (
            Tokens::new(),
            quote! { crate::codec::Encode::encode(&#wire) },
            quote! { crate::codec::Encode::write_json(&#wire, out) },
        )
    } else {
        let mut each = Vec::new();
        for (f, a, wire) in &p.fields {
            let ident = &f.ident;
            let key = if a.flatten {
                quote! { None }
            } else {
                quote! { Some(#wire) }
            };
            let call = quote! { each(#key, &self.#ident); };
            each.push(match &a.skip_if {
                Some(skip) => quote! { if !#skip(&self.#ident) { #call } },
                None => call,
            });
        }
        (
            quote! {
                impl #imp crate::codec::Fields for #name #ty #wher {
                    fn fields(&self, each: &mut dyn FnMut(Option<&str>, &dyn crate::codec::Encode)) {
                        #(#each)*
                    }
                }
            },
            quote! { crate::codec::encode_struct(self) },
            quote! { crate::codec::write_struct(self, out) },
        )
    };
    Ok(quote! {
        #fields
        impl #imp crate::codec::Encode for #name #ty #wher {
            fn encode(&self) -> ::serde_json::Value {
                #body
            }
            fn write_json(&self, out: &mut ::std::vec::Vec<u8>) {
                #write
            }
        }
    })
}
