/*
 * The Darknet `.cfg` parser: INI-like text into sections of key/value
 * options, each remembered with its line so that every later error can
 * point at it. The text is copied once and cut in place; sections and
 * options point into that copy.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_darknet.h"
#include "darknet_internal.h"

const char *tl_darknet_status_str(int status)
{
	switch (status) {
	case TL_DARKNET_OK: return "no error";
	case TL_DARKNET_E_SYNTAX: return "syntax error";
	case TL_DARKNET_E_MISSING: return "missing key or section";
	case TL_DARKNET_E_VALUE: return "invalid value";
	case TL_DARKNET_E_UNKNOWN_SECTION: return "unknown section";
	case TL_DARKNET_E_UNKNOWN_KEY: return "unknown key";
	case TL_DARKNET_E_SHAPE: return "impossible layer shape";
	case TL_DARKNET_E_NOMEM: return "out of memory";
	default: return "unknown status";
	}
}

int tl_darknet_fail(char *err, size_t err_len, int status,
		    const char *file, int line, const char *fmt, ...)
{
	if (err == NULL || err_len == 0)
		return status;
	int n = line > 0 ? snprintf(err, err_len, "%s:%d: ", file, line)
			 : snprintf(err, err_len, "%s: ", file);
	if (n >= 0 && (size_t)n < err_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, err_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* ---- Parsing ---- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

/* Cuts s at its first comment and trims blanks at both ends, in place. */
static char *clean_line(char *s)
{
	s[strcspn(s, "#;")] = '\0';
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Makes room for element n of *array. Capacities are powers of two, so
 * growing exactly when n is 0 or a power of two needs no stored capacity.
 */
static int grow(void **array, size_t n, size_t elem_size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return 0;
	size_t cap = n == 0 ? 4 : 2 * n;
	void *p = realloc(*array, cap * elem_size);
	if (p == NULL)
		return -1;
	*array = p;
	return 0;
}

struct parser {
	struct tl_darknet_cfg *cfg;
	int line;
	char *err;
	size_t err_len;
};

static int fail_at(struct parser *p, int status, const char *what,
		   const char *text)
{
	return tl_darknet_fail(p->err, p->err_len, status, p->cfg->file_name,
			       p->line, "%s '%s'", what, text);
}

static int nomem(struct parser *p)
{
	return tl_darknet_fail(p->err, p->err_len, TL_DARKNET_E_NOMEM,
			       p->cfg->file_name, p->line, "out of memory");
}

static int add_section(struct parser *p, char *s)
{
	size_t n = strlen(s);
	if (s[n - 1] != ']')
		return fail_at(p, TL_DARKNET_E_SYNTAX,
			       "section header without ']':", s);
	s[n - 1] = '\0';
	char *name = clean_line(s + 1);
	if (*name == '\0' || strpbrk(name, "[]") != NULL)
		return fail_at(p, TL_DARKNET_E_SYNTAX, "bad section name", name);
	struct tl_darknet_cfg *cfg = p->cfg;
	if (grow((void **)&cfg->sections, cfg->n_sections,
		 sizeof cfg->sections[0]))
		return nomem(p);
	struct tl_darknet_section sec = { name, p->line, NULL, 0 };
	cfg->sections[cfg->n_sections++] = sec;
	return TL_DARKNET_OK;
}

static int add_option(struct parser *p, char *s)
{
	char *eq = strchr(s, '=');
	if (eq == NULL)
		return fail_at(p, TL_DARKNET_E_SYNTAX,
			       "expected [section] or key=value, found", s);
	*eq = '\0';
	char *key = clean_line(s), *value = clean_line(eq + 1);
	if (*key == '\0')
		return fail_at(p, TL_DARKNET_E_SYNTAX, "no key before '=' in",
			       value);
	struct tl_darknet_cfg *cfg = p->cfg;
	if (cfg->n_sections == 0)
		return fail_at(p, TL_DARKNET_E_SYNTAX,
			       "key before any [section]:", key);
	struct tl_darknet_section *sec = &cfg->sections[cfg->n_sections - 1];
	const struct tl_darknet_option *twin = tl_darknet_find(sec, key);
	if (twin != NULL)
		return tl_darknet_fail(p->err, p->err_len, TL_DARKNET_E_SYNTAX,
				       cfg->file_name, p->line,
				       "[%s] key '%s' already set on line %d",
				       sec->type, key, twin->line);
	if (grow((void **)&sec->options, sec->n_options,
		 sizeof sec->options[0]))
		return nomem(p);
	struct tl_darknet_option opt = { key, value, p->line };
	sec->options[sec->n_options++] = opt;
	return TL_DARKNET_OK;
}

static int parse_lines(struct parser *p, char *text)
{
	for (char *next = text; next != NULL;) {
		char *line = next;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		p->line++;
		char *s = clean_line(line);
		int status = TL_DARKNET_OK;
		if (*s == '[')
			status = add_section(p, s);
		else if (*s != '\0')
			status = add_option(p, s);
		if (status != TL_DARKNET_OK)
			return status;
	}
	return TL_DARKNET_OK;
}

int tl_darknet_cfg_parse(const char *text, size_t len, const char *file_name,
			 struct tl_darknet_cfg *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if (file_name == NULL)
		file_name = "<cfg>";
	if (memchr(text, '\0', len) != NULL)
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_SYNTAX,
				       file_name, 0, "NUL byte in the text");
	out->file_name = strdup(file_name);
	out->text = malloc(len + 1);
	if (out->file_name == NULL || out->text == NULL) {
		tl_darknet_cfg_free(out);
		return tl_darknet_fail(err, err_len, TL_DARKNET_E_NOMEM,
				       file_name, 0, "out of memory");
	}
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	struct parser p = { out, 0, err, err_len };
	int status = parse_lines(&p, out->text);
	if (status != TL_DARKNET_OK)
		tl_darknet_cfg_free(out);
	return status;
}

void tl_darknet_cfg_free(struct tl_darknet_cfg *cfg)
{
	for (size_t i = 0; i < cfg->n_sections; i++)
		free(cfg->sections[i].options);
	free(cfg->sections);
	free(cfg->text);
	free(cfg->file_name);
	memset(cfg, 0, sizeof *cfg);
}

/* ---- Typed getters ---- */

const struct tl_darknet_option *
tl_darknet_find(const struct tl_darknet_section *sec, const char *key)
{
	for (size_t i = 0; i < sec->n_options; i++)
		if (strcmp(sec->options[i].key, key) == 0)
			return &sec->options[i];
	return NULL;
}

static int bad_value(const struct tl_darknet_cfg *cfg,
		     const struct tl_darknet_section *sec,
		     const struct tl_darknet_option *opt, const char *expected,
		     char *err, size_t err_len)
{
	return tl_darknet_fail(err, err_len, TL_DARKNET_E_VALUE,
			       cfg->file_name, opt->line,
			       "[%s] key '%s': expected %s, found '%s'",
			       sec->type, opt->key, expected, opt->value);
}

static int missing(const struct tl_darknet_cfg *cfg,
		   const struct tl_darknet_section *sec, const char *key,
		   char *err, size_t err_len)
{
	return tl_darknet_fail(err, err_len, TL_DARKNET_E_MISSING,
			       cfg->file_name, sec->line,
			       "[%s] missing key '%s'", sec->type, key);
}

/* Whole-string decimal integer in [min, INT_MAX]; 0 on success. */
static int parse_int(const char *s, int min, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static void describe_min(int min, char *buf, size_t len)
{
	if (min == 1)
		snprintf(buf, len, "a positive integer");
	else if (min == 0)
		snprintf(buf, len, "a non-negative integer");
	else if (min == INT_MIN)
		snprintf(buf, len, "an integer");
	else
		snprintf(buf, len, "an integer >= %d", min);
}

static int int_value(const struct tl_darknet_cfg *cfg,
		     const struct tl_darknet_section *sec,
		     const struct tl_darknet_option *opt, int min, int *out,
		     char *err, size_t err_len)
{
	if (parse_int(opt->value, min, out) == 0)
		return TL_DARKNET_OK;
	char expected[40];
	describe_min(min, expected, sizeof expected);
	return bad_value(cfg, sec, opt, expected, err, err_len);
}

int tl_darknet_int(const struct tl_darknet_cfg *cfg,
		   const struct tl_darknet_section *sec, const char *key,
		   int min, int *out, char *err, size_t err_len)
{
	const struct tl_darknet_option *opt = tl_darknet_find(sec, key);
	if (opt == NULL)
		return missing(cfg, sec, key, err, err_len);
	return int_value(cfg, sec, opt, min, out, err, err_len);
}

int tl_darknet_int_or(const struct tl_darknet_cfg *cfg,
		      const struct tl_darknet_section *sec, const char *key,
		      int fallback, int min, int *out, char *err,
		      size_t err_len)
{
	const struct tl_darknet_option *opt = tl_darknet_find(sec, key);
	if (opt == NULL) {
		*out = fallback;
		return TL_DARKNET_OK;
	}
	return int_value(cfg, sec, opt, min, out, err, err_len);
}

int tl_darknet_float_or(const struct tl_darknet_cfg *cfg,
			const struct tl_darknet_section *sec, const char *key,
			float fallback, float *out, char *err, size_t err_len)
{
	const struct tl_darknet_option *opt = tl_darknet_find(sec, key);
	if (opt == NULL) {
		*out = fallback;
		return TL_DARKNET_OK;
	}
	char *end;
	errno = 0;
	float v = strtof(opt->value, &end);
	if (end == opt->value || *end != '\0' || errno != 0 || !isfinite(v))
		return bad_value(cfg, sec, opt, "a finite number", err,
				 err_len);
	*out = v;
	return TL_DARKNET_OK;
}

/* The first item of the comma list s, trimmed, in buf; "" if too long. */
static const char *list_item(const char *s, char *buf, size_t len)
{
	size_t n = strcspn(s, ",");
	if (n >= len)
		n = 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return clean_line(buf);
}

int tl_darknet_int_list(const struct tl_darknet_cfg *cfg,
			const struct tl_darknet_section *sec, const char *key,
			int *out, size_t max, size_t *n, char *err,
			size_t err_len)
{
	const struct tl_darknet_option *opt = tl_darknet_find(sec, key);
	if (opt == NULL)
		return missing(cfg, sec, key, err, err_len);
	*n = 0;
	for (const char *s = opt->value;; s++) {
		char buf[32];
		const char *item = list_item(s, buf, sizeof buf);
		if (*n == max || parse_int(item, INT_MIN, &out[*n]) != 0) {
			char expected[64];
			snprintf(expected, sizeof expected,
				 "a comma list of at most %zu integers", max);
			return bad_value(cfg, sec, opt, expected, err, err_len);
		}
		(*n)++;
		s += strcspn(s, ",");
		if (*s == '\0')
			return TL_DARKNET_OK;
	}
}
