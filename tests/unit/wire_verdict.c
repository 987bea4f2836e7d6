// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wire_verdict: omx_wire_validate()'s verdict on each frame of standard
 * input, one frame a line in hex, one verdict name a line out.  The
 * Wireshark dissector's test (test_wireshark.sh) compares the dissector's
 * omx.verdict with these, frame by frame: the C codec is the reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_wire_codec.h"

#define LINE_MAX_BYTES	20000

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int main(void)
{
	static char line[2 * LINE_MAX_BYTES + 2];
	static unsigned char frame[LINE_MAX_BYTES];

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = 0, i;

		for (i = 0; line[i] && line[i] != '\n'; i += 2) {
			int hi = hexval(line[i]), lo = hi < 0 ? -1 : hexval(line[i + 1]);

			if (hi < 0 || lo < 0 || n == sizeof(frame)) {
				fprintf(stderr, "wire_verdict: bad hex line\n");
				return 2;
			}
			frame[n++] = (unsigned char)(hi << 4 | lo);
		}
		printf("%s\n", omx_wire_verdict_name(omx_wire_validate(frame, n)));
	}
	return 0;
}
