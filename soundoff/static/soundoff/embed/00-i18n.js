/* The widget's words in the reader's language.
 *
 * soundoff/embed/catalog.py puts the catalogue of the language the request
 * for embed.js asked for (LANGUAGE, its code, which the widget's section
 * carries as its lang; CATALOGUE; and pluralForm for its plural rule) just
 * before this part. These three functions read it as Django's
 * JavaScript catalogue does, so `makemessages -d djangojs` finds every
 * string written as gettext("…") or ngettext("…", "…", n) in the parts.
 */

  function gettext(text) {
    var found = CATALOGUE[text];
    if (found === undefined) return text;
    return typeof found === "string" ? found : found[0];
  }

  function ngettext(singular, plural, n) {
    var found = CATALOGUE[singular];
    if (found === undefined) return n === 1 ? singular : plural;
    return found[pluralForm(n)];
  }

  /* "%(name)s" in a translated string, filled from `values` (as text). */
  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) { return String(values[name]); });
  }

  /* A translated sentence with [[key]] marks where the translator put the
   * links or names: its text pieces, and fill(key) in place of each mark,
   * for h() to append (text stays text). */
  function sentence(text, fill) {
    return text.split(/\[\[(\w+)\]\]/).map(function (piece, i) { return i % 2 ? fill(piece) : piece; });
  }

