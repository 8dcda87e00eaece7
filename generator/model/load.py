"""Read forms/, check everything, and build the Project every renderer works from."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import jsonschema

from ..errors import InputError, Problem, display_path
from .forms import (CASE_NUMBERS, ChoiceList, Message, Column, Condition, Field, Font, Form, GlossaryTerm, Government,
                    GridItem, Option,
                    Project, Section, Settings)
from .schema import DEFAULT_WIDTH, FIELD_KINDS, FORM, LISTS, OPTION_VALUE, SETTINGS, SNAKE_CASE
from .source import Located, read_yaml

_PER_LANGUAGE = {"type": "object", "propertyNames": {"pattern": r"^[a-z]{2,3}$"},
                 "additionalProperties": {"type": "string", "minLength": 1}}
_GLOSSARY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["term", "definition"],
        "additionalProperties": False,
        "properties": {
            "term": _PER_LANGUAGE,
            "definition": _PER_LANGUAGE,
            "also": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}}},
        },
    },
}

NEEDS_LABEL = set(FIELD_KINDS) - {"instructions"}
TRANSLATABLE = ("title", "purpose", "completed_by", "when", "instructions", "intro", "label", "hint", "help", "text")


def messages(doc: Located, prefix: str) -> tuple[Message, ...]:
    """Every translatable string with its line, and a path of ids a translator can follow."""
    found: list[Message] = []

    def walk(value, path: tuple, names: tuple):
        if isinstance(value, dict):
            ident = next((value[k] for k in ("id", "value") if isinstance(value.get(k), str)), None)
            names += (ident,) if ident else ()
            for key, item in value.items():
                if key in TRANSLATABLE and isinstance(item, str):
                    found.append(Message(item, doc.where(path + (key,))[0], ".".join(names + (key,))))
                else:  # a block named by its key (a list in lists.yaml) adds the key to the path
                    named = isinstance(item, dict) and "id" not in item
                    walk(item, path + (key,), names + ((key,) if named else ()))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, path + (i,), names)

    walk(doc.value, (), (prefix,) if prefix else ())
    return tuple(found)
NEEDS_TEXT = {"consent", "instructions"}
CHOICE_KINDS = {"choice", "multi_choice"}


class _Reporter:
    """Collects the problems of one file, each placed at its YAML line."""

    def __init__(self, path: Path, doc: Located | None = None):
        self.file = display_path(path)
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: tuple, message: str) -> None:
        line, column = self.doc.where(path) if self.doc else (None, None)
        self.problems.append(Problem(self.file, message, line, column))

    def schema(self, schema: dict) -> bool:
        for error in sorted(jsonschema.Draft202012Validator(schema).iter_errors(self.doc.value),
                            key=lambda e: self.doc.where(tuple(e.absolute_path))[0] or 0):
            self.add(*_explain(error))
        return not self.problems


def _explain(error: jsonschema.ValidationError) -> tuple[tuple, str]:
    path = tuple(error.absolute_path)
    where = f" in '{path[-1]}'" if path and isinstance(path[-1], str) else ""
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return path, f"missing required key '{missing[0]}'{_owner(error.instance)}; add it"
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return path + (extra[0],), f"unknown key '{extra[0]}'{_owner(error.instance)}; allowed keys: {allowed}"
    if error.validator == "enum" and path and path[-1] == "kind" and "columns" in path:
        return path, (f"unknown column kind '{error.instance}'; use one of: " + ", ".join(error.validator_value))
    if error.validator == "enum" and path and path[-1] == "kind":
        return path, (f"unknown field kind '{error.instance}'; use one of: " + ", ".join(FIELD_KINDS))
    if error.validator == "enum":
        return path, f"'{error.instance}'{where} is not allowed; use one of: " + ", ".join(map(str, error.validator_value))
    if error.validator == "pattern" and error.validator_value == SNAKE_CASE:
        return path, (f"'{error.instance}' is not a snake_case id: use lower-case letters, digits and "
                      "underscores, starting with a letter (for example 'date_of_birth')")
    if error.validator == "pattern" and error.validator_value == OPTION_VALUE:
        return path, (f"option value '{error.instance}' may hold only lower-case letters, digits and underscores")
    if error.validator == "pattern":
        return path, f"'{error.instance}'{where} does not have the expected form ({error.schema.get('description', error.validator_value)})"
    if error.validator == "type":
        return path, f"{where.strip() or 'this value'} must be {_article(error.validator_value)}, not {type(error.instance).__name__} '{error.instance}'"
    if error.validator in ("minProperties", "maxProperties") and path and path[-1] == "show_if":
        return path, "show_if needs 'field' and exactly one of 'is', 'is_not' or 'includes'"
    if error.validator in ("maxItems", "maxProperties"):
        return path, (f"{_name(path, 'this list')} holds {len(error.instance)} entries; the limit is "
                      f"{error.validator_value}: split it (into sections, or another form)")
    if error.validator == "maxLength":
        return path, (f"{_name(path, 'this text')} is {len(error.instance)} characters long; the limit is "
                      f"{error.validator_value}: shorten it (guidance belongs in 'help' or the handbook)")
    if error.validator_value == 1 or error.validator == "minLength":
        return path, f"{where.strip() or 'this value'} must not be empty"
    return path, error.message


def _name(path: tuple, otherwise: str) -> str:
    return f"'{path[-1]}'" if path and isinstance(path[-1], str) else otherwise


def _owner(instance) -> str:
    return f" (in '{instance['id']}')" if isinstance(instance, dict) and isinstance(instance.get("id"), str) else ""


def _article(kind) -> str:
    names = {"string": "text", "object": "a block of keys", "array": "a list", "integer": "a whole number",
             "boolean": "true or false", "number": "a number"}
    return names.get(kind, str(kind))


def _options(raw: list) -> tuple[Option, ...]:
    return tuple(Option(o["value"], o["label"]) for o in raw)


def _check_unique_options(rep: _Reporter, options: list, path: tuple) -> None:
    seen: set = set()
    for i, option in enumerate(options):
        if option["value"] in seen:
            rep.add(path + (i, "value"), f"option '{option['value']}' is used twice in this list; give each option its own value")
        seen.add(option["value"])


def load_lists(path: Path) -> tuple[dict[str, ChoiceList], tuple[Message, ...]]:
    doc = read_yaml(path)
    rep = _Reporter(path, doc)
    if doc.value is None or not rep.schema(LISTS):
        raise InputError(rep.problems or [Problem(rep.file, "the file is empty; define at least one list")])
    for name, spec in doc.value.items():
        _check_unique_options(rep, spec["options"], (name, "options"))
    if rep.problems:
        raise InputError(rep.problems)
    lists = {name: ChoiceList(name, spec["label"], _options(spec["options"]), doc.where((name,))[0])
             for name, spec in doc.value.items()}
    return lists, messages(doc, "lists")


def load_settings(path: Path) -> Settings:
    doc = read_yaml(path)
    rep = _Reporter(path, doc)
    if not rep.schema(SETTINGS):
        raise InputError(rep.problems)
    value = doc.value
    logo = value["agency"].get("logo")
    logo_path = _project_image(rep, path.parent, ("agency", "logo"), logo) if logo else None
    for i, lang in enumerate(value["languages"]):
        if not _known_language(lang):
            rep.add(("languages", i), f"'{lang}' is not a language code Babel knows; use a code such as km, lo or th")
    if value["languages"][0] != "en":
        rep.add(("languages",), "the first language must be 'en', the language the forms are written in")
    for lang in value.get("bilingual", []):
        if lang not in value["languages"]:
            rep.add(("bilingual",), f"bilingual layout '{lang}' is not in languages")
    fonts = _fonts(rep, value, path.parent)
    if rep.problems:
        raise InputError(rep.problems)
    gov = value.get("government", {})
    return Settings(value["agency"]["name"], logo_path, tuple(value["languages"]),
                    tuple(value.get("bilingual", [])), tuple(value.get("papers", ["a4", "letter"])),
                    value.get("khmer_digits", True),
                    agency_names=tuple(sorted((value["agency"].get("names") or {}).items())),
                    letterhead=value["agency"].get("letterhead"),
                    government=Government(tuple(gov.get("forms", Government.forms)),
                                          tuple(gov.get("languages", Government.languages))),
                    fonts=fonts)


def _fonts(rep: _Reporter, value: dict, forms_dir: Path) -> dict[str, Font]:
    """Every language needs a font: one casekit ships (by family name) or the agency's own files."""
    from ..fontfaces import SHIPPED_LANGUAGE_FONTS, shipped_families
    declared = {**SHIPPED_LANGUAGE_FONTS, **value.get("fonts", {})}  # English and Khmer need no declaration
    fonts = {}
    for lang in value["languages"]:
        if lang not in declared:
            rep.add(("languages",), f"language '{lang}' has no font; add it under 'fonts:', e.g. "
                                    f"{lang}: {{family: Noto Sans Lao, regular: fonts/NotoSansLao-Regular.ttf}}")
    for lang, spec in declared.items():
        files = {}
        for key in ("regular", "bold"):
            if key in spec:
                files[key] = forms_dir / spec[key]
                if not files[key].is_file():
                    rep.add(("fonts", lang, key), f"font file '{spec[key]}' not found (paths are relative to forms/)")
        if not files and spec["family"] not in shipped_families():
            rep.add(("fonts", lang, "family"), f"casekit does not ship '{spec['family']}' (it ships: "
                                               f"{', '.join(shipped_families())}); give its file with 'regular:'")
        if "bold" in files and "regular" not in files:
            rep.add(("fonts", lang), "'bold' needs 'regular' too")
        fonts[lang] = Font(spec["family"], files.get("regular"), files.get("bold"), spec.get("line_height"))
    return fonts


@lru_cache(maxsize=8)
def _cached_settings(path: Path, mtime: float) -> Settings:
    return load_settings(path)


def project_settings(root: Path) -> Settings | None:
    """The settings of a project, read once per change of the file (layouts of every PDF need the fonts);
    None without a settings file (a page rendered outside a project)."""
    path = Path(root) / "forms" / "settings.yaml"
    return _cached_settings(path, path.stat().st_mtime) if path.exists() else None




# The image kinds a logo may be, by file name ending, and how each file of that kind begins.
IMAGE_KINDS = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
               ".svg": (b"<svg", b"<?xml", b"<!--")}


def _project_image(rep: _Reporter, folder: Path, key: tuple, name: str) -> Path | None:
    """A file named in settings: inside the project folder, and an image of the kind its name says.

    The logo is embedded in the published pages: a path leading out of the project would publish
    whatever file it names."""
    root = folder.parent.resolve()
    target = (folder / name).resolve()
    if Path(name).is_absolute() or root not in target.parents:
        rep.add(key, f"'{name}' is outside the project folder; put the image in forms/ and give its name")
        return None
    if not target.is_file():
        rep.add(key, f"logo file '{name}' not found next to {folder.name}/settings.yaml")
        return None
    starts = IMAGE_KINDS.get(target.suffix.lower())
    if starts is None:
        rep.add(key, f"'{name}' is not an image casekit can print; use a .png, .jpg or .svg file")
        return None
    with target.open("rb") as handle:
        head = handle.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(starts):
        rep.add(key, f"'{name}' is not a {target.suffix.lower().lstrip('.').upper()} image (its content is "
                     "something else); export the logo again as that kind of image")
        return None
    return folder / name


def _known_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def load_glossary(path: Path) -> tuple[GlossaryTerm, ...]:
    """The glossary: each term and definition per language, English required (a new language may lag)."""
    if not path.exists():
        return ()
    doc = read_yaml(path)
    rep = _Reporter(path, doc)
    if not rep.schema(_GLOSSARY):
        raise InputError(rep.problems)
    seen: set = set()
    for i, entry in enumerate(doc.value or []):
        for key in ("term", "definition"):
            if "en" not in entry[key]:
                rep.add((i, key), f"this entry has no English {key}; add `en:` under `{key}:`")
        english = entry["term"].get("en", "").lower()
        if english in seen:
            rep.add((i, "term"), f"term '{english}' is defined twice; keep one entry")
        seen.add(english)
    if rep.problems:
        raise InputError(rep.problems)
    return tuple(GlossaryTerm(dict(e["term"]), dict(e["definition"]), doc.where((i,))[0],
                              {lang: tuple(v) for lang, v in (e.get("also") or {}).items()})
                 for i, e in enumerate(doc.value or []))


def load_form(path: Path, lists: dict[str, ChoiceList]) -> Form:
    doc = read_yaml(path)
    rep = _Reporter(path, doc)
    if not isinstance(doc.value, dict):
        raise InputError([Problem(rep.file, "a form file must be a block of keys (id, version, title, sections …)", 1, 1)])
    rep.schema(FORM)  # then go on: the checks below report more problems of the same file
    value = doc.value
    if isinstance(value.get("id"), str) and value["id"] != path.stem:
        rep.add(("id",), f"form id '{value['id']}' must match the file name '{path.stem}.yaml'")
    try:
        issued = date.fromisoformat(str(value.get("issued", "")))
    except ValueError:
        if "issued" in value:
            rep.add(("issued",), f"issue date '{value['issued']}' is not a date; write it as YYYY-MM-DD")
        issued = date(1970, 1, 1)
    sections, section_ids = [], set()
    names = {d.name: "the form header (a reserved id)" for d in CASE_NUMBERS}
    earlier: dict[str, Field] = {}
    for s_index, raw_section in enumerate(_list(value.get("sections"))):
        s_path = ("sections", s_index)
        if not isinstance(raw_section, dict) or not _has_text(raw_section, "id", "title"):
            continue  # already reported by the schema
        if raw_section["id"] in section_ids:
            rep.add(s_path + ("id",), f"section id '{raw_section['id']}' is used twice in this form")
        section_ids.add(raw_section["id"])
        fields = []
        for f_index, raw in enumerate(_list(raw_section.get("fields"))):
            f_path = s_path + ("fields", f_index)
            if not isinstance(raw, dict) or not _has_text(raw, "id", "kind") or raw["kind"] not in FIELD_KINDS:
                continue  # already reported by the schema
            try:
                field = _build_field(rep, raw, f_path, lists, earlier)
            except (KeyError, TypeError, AttributeError):
                continue  # a malformed part the schema has reported
            for data in field.data_fields():
                if data.name in names:
                    rep.add(f_path + ("id",), f"field id '{data.name}' is already used by {names[data.name]}; "
                                              "ids must be unique within a form")
                else:
                    names[data.name] = f"the field on line {field.line}"
            earlier[field.id] = field
            fields.append(field)
        sections.append(Section(raw_section["id"], raw_section["title"], tuple(fields),
                                doc.where(s_path)[0], raw_section.get("intro"), raw_section.get("new_page", False)))
    if rep.problems:
        raise InputError(sorted(rep.problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Form(value["id"], value["version"], issued, value["title"], value["purpose"], value["stage"],
                value["completed_by"], tuple(sections), path, value.get("when"), value.get("instructions"),
                messages(doc, ""))


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _has_text(raw: dict, *keys: str) -> bool:
    return all(isinstance(raw.get(k), str) for k in keys)


def _resolve_list(rep, raw, key, path, lists) -> tuple[tuple[Option, ...], str | None]:
    name = raw.get(key)
    if name is None or lists is None:  # None: lists.yaml itself is broken and already reported
        return (), name
    if name not in lists:
        rep.add(path + (key,), f"unknown list '{name}'; define it in forms/lists.yaml or use one of: "
                               + ", ".join(sorted(lists)))
        return (), name
    return lists[name].options, name


def _build_field(rep: _Reporter, raw: dict, path: tuple, lists, earlier: dict[str, Field]) -> Field:
    kind = raw["kind"]
    fid = raw["id"]
    if kind in NEEDS_LABEL and "label" not in raw:
        rep.add(path, f"field '{fid}' ({kind}) needs a 'label'")
    if kind in NEEDS_TEXT and "text" not in raw:
        rep.add(path, f"field '{fid}' ({kind}) needs a 'text'")
    options, list_name = _resolve_list(rep, raw, "list", path, lists)
    if "options" in raw:
        if list_name:
            rep.add(path + ("options",), f"field '{fid}' has both 'list' and 'options'; keep one")
        options = _options(raw["options"])
        _check_unique_options(rep, raw["options"], path + ("options",))
    if kind in CHOICE_KINDS and "list" not in raw and "options" not in raw:
        rep.add(path, f"field '{fid}' ({kind}) needs 'list' (a shared list) or 'options'")
    if raw.get("other") and any(o.value == "other" for o in options):
        rep.add(path + ("other",), f"field '{fid}' already has an option 'other'; remove 'other: true'")
    if raw.get("seal") and kind != "signature":
        rep.add(path + ("seal",), f"'seal' goes with a signature; field '{fid}' is {kind}")
    if kind == "digits" and "length" not in raw:
        rep.add(path, f"field '{fid}' (digits) needs 'length', the number of boxes")
    scale, scale_name = _resolve_list(rep, raw, "scale", path, lists)
    if kind == "rating_grid":
        for key in ("items", "scale"):
            if key not in raw:
                rep.add(path, f"field '{fid}' (rating_grid) needs '{key}'")
        _check_unique_ids(rep, raw.get("items", []), path + ("items",), "item")
    if kind == "table":
        _check_unique_ids(rep, raw.get("items", []), path + ("items",), "row")
        if "columns" not in raw:
            rep.add(path, f"field '{fid}' (table) needs 'columns'")
        _check_unique_ids(rep, raw.get("columns", []), path + ("columns",), "column")
    columns = []
    for c_index, col in enumerate(raw.get("columns", [])):
        col_options, _ = _resolve_list(rep, col, "list", path + ("columns", c_index), lists)
        if "options" in col:
            col_options = _options(col["options"])
        if col.get("kind") == "choice" and not col_options and lists is not None:
            rep.add(path + ("columns", c_index), f"column '{col['id']}' (choice) needs 'list' or 'options'")
        columns.append(Column(col["id"], col["label"], col.get("kind", "text"), col.get("width", 1.0), col_options))
    condition = None
    if _is_condition(raw.get("show_if")):  # any other show_if is reported by the schema
        condition = _build_condition(rep, raw["show_if"], path + ("show_if",), earlier)
    return Field(
        id=fid, kind=kind, line=rep.doc.where(path)[0], label=raw.get("label"), required=raw.get("required", False),
        hint=raw.get("hint"), help=raw.get("help"), show_if=condition, text=raw.get("text"),
        lines=raw.get("lines", 3), length=raw.get("length", 0), other=raw.get("other", False),
        list_name=list_name, options=options,
        items=tuple(GridItem(i["id"], i["label"], i.get("help")) for i in raw.get("items", [])),
        scale=scale, scale_name=scale_name, comment=raw.get("comment", True), columns=tuple(columns),
        rows=raw.get("rows", 5), thumbprint=raw.get("thumbprint", True), width=raw.get("width", DEFAULT_WIDTH[kind]),
        seal=raw.get("seal", False),
    )


def _check_unique_ids(rep, entries: list, path: tuple, what: str) -> None:
    seen: set = set()
    for i, entry in enumerate(entries):
        if entry["id"] in seen:
            rep.add(path + (i, "id"), f"{what} id '{entry['id']}' is used twice")
        seen.add(entry["id"])


def _is_condition(raw) -> bool:
    return (isinstance(raw, dict) and isinstance(raw.get("field"), str)
            and sum(isinstance(raw.get(k), str) for k in ("is", "is_not", "includes")) == 1)


def _build_condition(rep, raw: dict, path: tuple, earlier: dict[str, Field]) -> Condition | None:
    op = next(k for k in ("is", "is_not", "includes") if isinstance(raw.get(k), str))
    target = earlier.get(raw["field"])
    if target is None:
        rep.add(path + ("field",), f"show_if refers to '{raw['field']}', which is not a field above this one in the form")
        return None
    values = [o.value for o in target.choices]
    if not values:
        rep.add(path + ("field",), f"show_if can only depend on a yes_no, choice or multi_choice field; "
                                   f"'{target.id}' is {target.kind}")
        return None
    if op == "includes" and target.kind != "multi_choice":
        rep.add(path + (op,), f"'includes' works only with a multi_choice field; use 'is' for '{target.id}'")
    if str(raw[op]) not in values:
        rep.add(path + (op,), f"'{raw[op]}' is not an option of '{target.id}'; use one of: " + ", ".join(values))
    return Condition(target.id, op, str(raw[op]))


def load_project(root: Path) -> Project:
    """Load settings, lists, every form and the glossary, reporting all problems at once."""
    root = Path(root)
    forms_dir = root / "forms"
    if not (root / "mkdocs.yml").is_file() and not forms_dir.is_dir():
        raise InputError([Problem(display_path(root), "this is not a casekit project folder; run in the folder "
                                                      "that holds mkdocs.yml, or pass --root")])
    problems: list[Problem] = [Problem(display_path(path), f"form files end in .yaml, so casekit ignores this file; "
                                                           f"rename it to {path.stem}.yaml")
                               for path in sorted(forms_dir.glob("*.yml"))]

    def attempt(fn, *args):
        try:
            return fn(*args)
        except InputError as error:
            problems.extend(error.problems)
            return None

    settings = attempt(load_settings, forms_dir / "settings.yaml")
    lists, list_messages = attempt(load_lists, forms_dir / "lists.yaml") or (None, ())
    glossary = attempt(load_glossary, root / "translations" / "glossary.yaml") or ()
    forms = {}
    for path in sorted(forms_dir.glob("*.yaml")):
        if path.name in ("settings.yaml", "lists.yaml"):
            continue
        form = attempt(load_form, path, lists)
        if form:
            forms[form.id] = form
    if settings and forms and settings.government.forms != Government.forms:  # the defaults may be absent
        unknown = sorted(set(settings.government.forms) - set(forms))
        if unknown:
            problems.append(Problem(display_path(forms_dir / "settings.yaml"),
                                    f"government.forms names no such form: {', '.join(unknown)}; "
                                    f"use ids of forms in forms/ ({', '.join(sorted(forms))})"))
    for lang in (settings.languages[1:] if settings else ()):
        catalog = root / "translations" / lang / "LC_MESSAGES" / "casekit.po"
        if not catalog.exists():
            problems.append(Problem(display_path(catalog), f"no catalog for language '{lang}' (listed in "
                                    f"forms/settings.yaml); create it with: casekit i18n init {lang}"))
    if problems:
        raise InputError(problems)
    if not forms:
        raise InputError([Problem(display_path(forms_dir), "no form definitions found (*.yaml)")])
    return Project(root, settings, lists or {}, forms, glossary, list_messages)


def site_language_problems(root: Path, languages: tuple[str, ...]) -> list[Problem]:
    """The site's languages (mkdocs.yml, i18n plugin) must be the forms' languages, the first the default."""
    path = Path(root) / "mkdocs.yml"
    if not path.exists():
        return []
    try:
        doc = read_yaml(path)
    except InputError as error:
        return error.problems
    plugins = doc.value.get("plugins", []) if isinstance(doc.value, dict) else []
    for i, plugin in enumerate(plugins):
        if isinstance(plugin, dict) and isinstance(plugin.get("i18n"), dict):
            entries = plugin["i18n"].get("languages") or []
            where = doc.where(("plugins", i, "i18n", "languages"))[0]
            break
    else:
        return []
    site = [e.get("locale") for e in entries if isinstance(e, dict)]
    default = next((e.get("locale") for e in entries if isinstance(e, dict) and e.get("default")), None)
    problems = []
    if sorted(site) != sorted(languages):
        problems.append(Problem(display_path(path), f"the site's languages ({', '.join(site)}) differ from "
                                f"forms/settings.yaml ({', '.join(languages)}); list the same codes in both", where))
    elif default != languages[0]:
        problems.append(Problem(display_path(path), f"the site's default language must be '{languages[0]}', "
                                "the first language in forms/settings.yaml", where))
    return problems
