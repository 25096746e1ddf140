#include <ctype.h>
#include <string.h>

#include "json_check.h"

struct js { const char *s; size_t n, i; int bad; };

static void fail(struct js *j)
{
	if (!j->bad)
		j->bad = 1;
}

static void ws(struct js *j)
{
	while (j->i < j->n && strchr(" \t\r\n", j->s[j->i]))
		j->i++;
}

static int peek(struct js *j)
{
	return j->i < j->n ? (unsigned char)j->s[j->i] : -1;
}

static void expect(struct js *j, char c)
{
	if (peek(j) == c)
		j->i++;
	else
		fail(j);
}

static void string(struct js *j)
{
	expect(j, '"');
	while (!j->bad && peek(j) != '"') {
		int c = peek(j);
		if (c < 0x20) {
			fail(j);
			return;
		}
		j->i++;
		if (c != '\\')
			continue;
		c = peek(j);
		j->i++;
		if (c == 'u') {
			for (int k = 0; k < 4; k++, j->i++)
				if (!isxdigit(peek(j)))
					fail(j);
		} else if (!c || !strchr("\"\\/bfnrt", c)) {
			fail(j);
		}
	}
	expect(j, '"');
}

static void digits(struct js *j)
{
	if (!isdigit(peek(j)))
		fail(j);
	while (isdigit(peek(j)))
		j->i++;
}

static void number(struct js *j)
{
	if (peek(j) == '-')
		j->i++;
	if (peek(j) == '0')
		j->i++;
	else
		digits(j);
	if (peek(j) == '.') {
		j->i++;
		digits(j);
	}
	if (peek(j) == 'e' || peek(j) == 'E') {
		j->i++;
		if (peek(j) == '+' || peek(j) == '-')
			j->i++;
		digits(j);
	}
}

static void word(struct js *j, const char *w)
{
	size_t n = strlen(w);
	if (j->n - j->i >= n && !memcmp(j->s + j->i, w, n))
		j->i += n;
	else
		fail(j);
}

static void value(struct js *j, int depth);

static void members(struct js *j, int depth, char close, int keyed)
{
	j->i++;
	ws(j);
	if (peek(j) == close) {
		j->i++;
		return;
	}
	while (!j->bad) {
		if (keyed) {
			string(j);
			ws(j);
			expect(j, ':');
		}
		value(j, depth + 1);
		ws(j);
		if (peek(j) != ',')
			break;
		j->i++;
		ws(j);
	}
	expect(j, close);
}

static void value(struct js *j, int depth)
{
	ws(j);
	int c = peek(j);
	if (depth > 64)
		fail(j);
	else if (c == '{')
		members(j, depth, '}', 1);
	else if (c == '[')
		members(j, depth, ']', 0);
	else if (c == '"')
		string(j);
	else if (c == 't')
		word(j, "true");
	else if (c == 'f')
		word(j, "false");
	else if (c == 'n')
		word(j, "null");
	else
		number(j);
}

size_t json_check(const char *text, size_t len)
{
	struct js j = { text, len, 0, 0 };
	value(&j, 0);
	ws(&j);
	if (j.i != len)
		fail(&j);
	return j.bad ? j.i + 1 : 0;
}
