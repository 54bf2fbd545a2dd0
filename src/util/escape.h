/*
 * Making untrusted bytes safe for each place they are written to:
 * JSON strings (always valid UTF-8), terminals (no control bytes), HTML
 * text and attribute values, JSON strings inside an HTML page, and URIs
 * (RFC 3986 percent-encoding).
 */
#ifndef NFG_UTIL_ESCAPE_H
#define NFG_UTIL_ESCAPE_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Appends p as valid UTF-8 text: valid sequences are copied, and each byte
 * that is not part of a valid sequence becomes the four characters \xNN
 * (upper-case hex). A path with invalid bytes is thus still readable, but
 * not told apart from one holding the literal text \xNN (escape_term and
 * escape_uri_path are the invertible ones). JSON string escaping itself is
 * left to the JSON writer.
 */
int escape_utf8(struct buf *out, const char *p, size_t n);

/*
 * Appends p for a terminal: printable ASCII and valid UTF-8 sequences of
 * printable characters as they are; control bytes (C0, DEL, C1) and
 * invalid bytes as \xNN; backslash as \\.
 */
int escape_term(struct buf *out, const char *p, size_t n);

/*
 * Appends p as HTML text that is also safe inside a quoted attribute
 * value: invalid bytes as \xNN as escape_utf8 writes them, characters
 * escape_term would not print as \xNN of their bytes, and & < > " ' as
 * &amp; &lt; &gt; &quot; &#39;. The backslash is left as it is, as in
 * escape_utf8 (what the JSON report shows, the HTML report shows).
 */
int escape_html(struct buf *out, const char *p, size_t n);

/*
 * Appends p as the inside of a JSON string (without its quotes) that is
 * safe in an HTML <script> data block and reads as the text escape_html
 * shows: invalid bytes and characters escape_html writes as \xNN are
 * written \\xNN (which reads \xNN), the backslash as \\, " as \", and
 * & < > as \u0026 \u003c \u003e, so that no "</script" or "<!--" can
 * appear.
 */
int escape_json_html(struct buf *out, const char *p, size_t n);

/*
 * Appends a relative path as a URI reference: unreserved characters and
 * '/' as they are, every other byte as %NN.
 */
int escape_uri_path(struct buf *out, const char *p, size_t n);

#endif
