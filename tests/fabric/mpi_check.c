// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mpi_check: an MPI correctness program for Open MPI over the omx
 * libfabric provider (tests/fabric/mpi_pair.sh), for any number >= 2 of
 * ranks.  Rank 0 prints one line per check, "ok - NAME" or
 * "not ok - NAME", once every rank has reported its part; a rank that
 * sees a problem also prints "# rank R: DETAIL" (what was expected and
 * what came).  Exit status 1 if any check failed.
 *
 *   mpi_check [--max BYTES]   largest point-to-point size (default 4 MiB)
 *   mpi_check --die RANK      no checks: rank RANK kills itself (SIGKILL)
 *                             while rank 0 waits in MPI_Recv for it, so
 *                             that the job must end with an error, not hang
 *
 * Checks: a point-to-point ring sweep 0 B..max (inject, eager and
 * rendezvous sizes and their edges) with every byte and a guard after the
 * buffer checked, source, tag and count; MPI_ANY_SOURCE/MPI_ANY_TAG;
 * MPI_Iprobe of nothing, MPI_Probe, MPI_Mprobe/MPI_Mrecv (small and
 * rendezvous); MPI_Issend completing only once the receive is posted
 * (small and large); MPI_Cancel of a posted receive, which must not take
 * a later message; MPI_Barrier holding every rank until the last
 * arrives; MPI_Bcast, MPI_Allreduce and MPI_Alltoall with their results
 * computed independently.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GUARD_LEN	16
#define GUARD_BYTE	0xa5

static int rank, nranks;
static int local_fail;		/* this rank's failures in the current check */
static int total_fail;		/* checks failed (rank 0 knows) */

static void detail(const char *fmt, ...)
{
	va_list ap;

	local_fail++;
	va_start(ap, fmt);
	printf("# rank %d: ", rank);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

/* End of a check: every rank's verdict gathered, rank 0 prints the line. */
static void verdict(const char *name)
{
	int fails = 0;

	MPI_Allreduce(&local_fail, &fails, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	if (rank == 0) {
		printf("%s - %s", fails ? "not ok" : "ok", name);
		if (fails)
			printf(" (%d problem(s), see the # lines)", fails);
		printf("\n");
		fflush(stdout);
	}
	if (fails)
		total_fail++;
	local_fail = 0;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The byte at offset i of a message identified by seed. */
static unsigned char pat(uint32_t seed, size_t i)
{
	return (unsigned char)(seed * 2654435761u + i * 7 + (i >> 8) * 13);
}

static void fill(unsigned char *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = pat(seed, i);
}

/* First wrong byte, or -1. */
static long first_bad(const unsigned char *b, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] != pat(seed, i))
			return (long)i;
	return -1;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "mpi_check: out of memory (%zu bytes)\n", n);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	return p;
}

/* Check a received message: count, source, tag, bytes, guard. */
static void check_msg(const char *what, const unsigned char *b, size_t n, uint32_t seed,
		      const MPI_Status *st, int src, int tag)
{
	int count = -1;
	long bad;

	MPI_Get_count(st, MPI_BYTE, &count);
	if (count != (int)n)
		detail("%s: count %d, expected %zu", what, count, n);
	if (src != MPI_ANY_SOURCE && st->MPI_SOURCE != src)
		detail("%s: source %d, expected %d", what, st->MPI_SOURCE, src);
	if (tag != MPI_ANY_TAG && st->MPI_TAG != tag)
		detail("%s: tag %d, expected %d", what, st->MPI_TAG, tag);
	bad = first_bad(b, n, seed);
	if (bad >= 0)
		detail("%s: byte %ld is 0x%02x, expected 0x%02x", what, bad, b[bad],
		       pat(seed, (size_t)bad));
	for (size_t i = 0; i < GUARD_LEN; i++)
		if (b[n + i] != GUARD_BYTE) {
			detail("%s: guard byte %zu after the buffer overwritten", what, i);
			break;
		}
}

/* Each rank sends to its right neighbour and receives from its left. */
static void check_sweep(size_t max)
{
	static const size_t edges[] = {
		0, 1, 2, 7, 8, 63, 64, 127, 128, 129, 255, 256, 1023, 1024, 4095, 4096,
		4097, 8191, 8192, 8193, 16383, 16384, 16385, 32767, 32768, 32769,
		65535, 65536, 65537, 131072, 262143, 524288, 1048576, 1048577,
		2097152, 4194303, 4194304, 8388608, 16777216,
	};
	int right = (rank + 1) % nranks, left = (rank + nranks - 1) % nranks;
	unsigned char *tx = xmalloc(max), *rx = xmalloc(max + GUARD_LEN);
	char what[96];
	size_t n_sizes = 0;

	for (size_t k = 0; k < sizeof(edges) / sizeof(edges[0]); k++) {
		size_t n = edges[k];
		MPI_Request rq[2];
		MPI_Status st[2];

		if (n > max)
			break;
		n_sizes++;
		fill(tx, n, (uint32_t)(n * 31 + (size_t)rank));
		memset(rx, 0, n);
		memset(rx + n, GUARD_BYTE, GUARD_LEN);
		MPI_Irecv(rx, (int)n, MPI_BYTE, left, (int)k, MPI_COMM_WORLD, &rq[0]);
		MPI_Isend(tx, (int)n, MPI_BYTE, right, (int)k, MPI_COMM_WORLD, &rq[1]);
		MPI_Waitall(2, rq, st);
		snprintf(what, sizeof(what), "%zu bytes from rank %d", n, left);
		check_msg(what, rx, n, (uint32_t)(n * 31 + (size_t)left), &st[0], left, (int)k);
	}
	free(tx);
	free(rx);
	snprintf(what, sizeof(what), "point-to-point ring, %zu sizes 0..%zu bytes, data and guard",
		 n_sizes, max);
	verdict(what);
}

/* Everyone sends rank 0 one message with its own tag; rank 0 takes them
 * with MPI_ANY_SOURCE/MPI_ANY_TAG and must see each sender once. */
static void check_any(void)
{
	enum { N = 300 };
	unsigned char b[N + GUARD_LEN];

	if (rank) {
		fill(b, N, 1000u + (uint32_t)rank);
		MPI_Send(b, N, MPI_BYTE, 0, 100 + rank, MPI_COMM_WORLD);
	} else {
		char *seen = calloc((size_t)nranks, 1);

		for (int i = 1; i < nranks; i++) {
			MPI_Status st;
			int src;

			memset(b, 0, N);
			memset(b + N, GUARD_BYTE, GUARD_LEN);
			MPI_Recv(b, N, MPI_BYTE, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
			src = st.MPI_SOURCE;
			if (src <= 0 || src >= nranks) {
				detail("ANY_SOURCE: source %d out of range", src);
				continue;
			}
			if (seen[src]++)
				detail("ANY_SOURCE: rank %d's message received twice", src);
			check_msg("ANY_SOURCE/ANY_TAG", b, N, 1000u + (uint32_t)src, &st, src,
				  100 + src);
		}
		free(seen);
	}
	verdict("MPI_ANY_SOURCE / MPI_ANY_TAG: every sender once, its tag and bytes");
}

/* Rank 1 sends; rank 0 probes before receiving. */
static void check_probe(void)
{
	static const int sizes[] = { 0, 100, 70000, 1048576 };
	int flag = 1;

	if (rank == 0) {
		MPI_Status st;

		/* nothing was sent with tag 49: Iprobe must say so */
		MPI_Iprobe(MPI_ANY_SOURCE, 49, MPI_COMM_WORLD, &flag, &st);
		if (flag)
			detail("Iprobe found a message with tag 49 nobody sent");
	}
	MPI_Barrier(MPI_COMM_WORLD);
	for (int k = 0; k < 4; k++) {
		int n = sizes[k], tag = 50 + k;

		if (rank == 1) {
			unsigned char *b = xmalloc((size_t)n);

			fill(b, (size_t)n, 5000u + (uint32_t)k);
			MPI_Send(b, n, MPI_BYTE, 0, tag, MPI_COMM_WORLD);
			free(b);
		} else if (rank == 0) {
			MPI_Status st, st2;
			MPI_Message msg;
			unsigned char *b;
			int count = -1;
			char what[64];

			/* even k: Probe then Recv; odd k: Mprobe then Mrecv */
			if (k % 2 == 0)
				MPI_Probe(1, tag, MPI_COMM_WORLD, &st);
			else
				MPI_Mprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &msg, &st);
			MPI_Get_count(&st, MPI_BYTE, &count);
			if (count != n || st.MPI_SOURCE != 1 || st.MPI_TAG != tag)
				detail("%s of %d bytes: count %d, source %d, tag %d",
				       k % 2 ? "Mprobe" : "Probe", n, count, st.MPI_SOURCE, st.MPI_TAG);
			if (count < 0 || count > n)
				count = n;
			b = xmalloc((size_t)count + GUARD_LEN);
			memset(b + count, GUARD_BYTE, GUARD_LEN);
			if (k % 2 == 0)
				MPI_Recv(b, count, MPI_BYTE, 1, tag, MPI_COMM_WORLD, &st2);
			else
				MPI_Mrecv(b, count, MPI_BYTE, &msg, &st2);
			snprintf(what, sizeof(what), "%s %d bytes", k % 2 ? "Mrecv" : "Recv after Probe", n);
			check_msg(what, b, (size_t)n, 5000u + (uint32_t)k, &st2, 1, tag);
			free(b);
		}
	}
	verdict("MPI_Iprobe of nothing, MPI_Probe+Recv and MPI_Mprobe+Mrecv (0 B..1 MiB)");
}

/* MPI_Issend must not complete before the receiver posted its receive:
 * rank 1 posts it 400 ms after the barrier, rank 0 tests for 150 ms. */
static void check_issend(void)
{
	static const int sizes[] = { 8, 1048576 };

	for (int k = 0; k < 2; k++) {
		int n = sizes[k], tag = 60 + k;
		unsigned char *b = xmalloc((size_t)n + GUARD_LEN);

		MPI_Barrier(MPI_COMM_WORLD);
		if (rank == 0) {
			MPI_Request rq;
			double t0;
			int flag = 0;

			fill(b, (size_t)n, 6000u + (uint32_t)k);
			MPI_Issend(b, n, MPI_BYTE, 1, tag, MPI_COMM_WORLD, &rq);
			t0 = MPI_Wtime();
			while (!flag && MPI_Wtime() - t0 < 0.15)
				MPI_Test(&rq, &flag, MPI_STATUS_IGNORE);
			if (flag)
				detail("Issend of %d bytes completed before the receive was posted", n);
			else
				MPI_Wait(&rq, MPI_STATUS_IGNORE);
		} else if (rank == 1) {
			MPI_Status st;

			nap_ms(400);
			memset(b + n, GUARD_BYTE, GUARD_LEN);
			MPI_Recv(b, n, MPI_BYTE, 0, tag, MPI_COMM_WORLD, &st);
			check_msg("Issend's message", b, (size_t)n, 6000u + (uint32_t)k, &st, 0, tag);
		}
		free(b);
	}
	verdict("MPI_Issend (8 B and 1 MiB) completes only after the receive is posted");
}

/* A cancelled receive completes as cancelled and does not take the
 * message sent afterwards with the same tag. */
static void check_cancel(void)
{
	enum { N = 4096 };
	unsigned char *b = xmalloc(N + GUARD_LEN);

	if (rank == 0) {
		unsigned char dummy[N];
		MPI_Request rq;
		MPI_Status st;
		int cancelled = 0;

		MPI_Irecv(dummy, N, MPI_BYTE, 1, 70, MPI_COMM_WORLD, &rq);
		MPI_Cancel(&rq);
		MPI_Wait(&rq, &st);
		MPI_Test_cancelled(&st, &cancelled);
		if (!cancelled)
			detail("the posted receive was not cancelled (MPI_Test_cancelled false)");
	}
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank == 1) {
		fill(b, N, 7000u);
		MPI_Send(b, N, MPI_BYTE, 0, 70, MPI_COMM_WORLD);
	} else if (rank == 0) {
		MPI_Status st;

		memset(b + N, GUARD_BYTE, GUARD_LEN);
		MPI_Recv(b, N, MPI_BYTE, 1, 70, MPI_COMM_WORLD, &st);
		check_msg("message after the cancel", b, N, 7000u, &st, 1, 70);
	}
	free(b);
	verdict("MPI_Cancel of a posted receive; the next message goes to the next receive");
}

/* Rank 0 arrives 300 ms late: nobody may leave the barrier before. */
static void check_barrier(void)
{
	double t0;

	MPI_Barrier(MPI_COMM_WORLD);
	t0 = MPI_Wtime();
	if (rank == 0)
		nap_ms(300);
	MPI_Barrier(MPI_COMM_WORLD);
	if (rank && MPI_Wtime() - t0 < 0.25)
		detail("left the barrier after %.3f s, rank 0 entered it after 0.3 s",
		       MPI_Wtime() - t0);
	verdict("MPI_Barrier holds every rank until the last one arrives");
}

static void check_bcast(void)
{
	static const int sizes[] = { 0, 1, 100, 65536, 1048576 + 3 };

	for (int k = 0; k < 5; k++) {
		for (int root = 0; root < nranks; root += nranks - 1) {
			int n = sizes[k];
			unsigned char *b = xmalloc((size_t)n + GUARD_LEN);
			uint32_t seed = 8000u + (uint32_t)(k * 16 + root);
			long bad;

			if (rank == root)
				fill(b, (size_t)n, seed);
			else
				memset(b, 0, (size_t)n);
			memset(b + n, GUARD_BYTE, GUARD_LEN);
			MPI_Bcast(b, n, MPI_BYTE, root, MPI_COMM_WORLD);
			bad = first_bad(b, (size_t)n, seed);
			if (bad >= 0)
				detail("Bcast of %d bytes from %d: byte %ld wrong", n, root, bad);
			for (int i = 0; i < GUARD_LEN; i++)
				if (b[n + i] != GUARD_BYTE) {
					detail("Bcast of %d bytes: guard overwritten", n);
					break;
				}
			free(b);
		}
	}
	verdict("MPI_Bcast 0 B..1 MiB+3 from the first and the last rank");
}

static void check_allreduce(void)
{
	enum { N = 200000 };	/* 1.6 MB of long long: the large-message path */
	long long *in = xmalloc(N * sizeof(*in)), *out = xmalloc(N * sizeof(*out));
	long long sum_ranks = (long long)nranks * (nranks + 1) / 2;
	int mx = -1, me = rank;
	double dsum = 0, dme = 0.5 * rank;

	for (int i = 0; i < N; i++)
		in[i] = (long long)(rank + 1) * i;
	MPI_Allreduce(in, out, N, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
	for (int i = 0; i < N; i++)
		if (out[i] != sum_ranks * i) {
			detail("Allreduce SUM element %d: %lld, expected %lld", i, out[i],
			       sum_ranks * i);
			break;
		}
	MPI_Allreduce(&me, &mx, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	if (mx != nranks - 1)
		detail("Allreduce MAX of ranks: %d, expected %d", mx, nranks - 1);
	MPI_Allreduce(&dme, &dsum, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
	if (dsum != 0.25 * nranks * (nranks - 1))
		detail("Allreduce SUM of doubles: %g, expected %g", dsum,
		       0.25 * nranks * (nranks - 1));
	free(in);
	free(out);
	verdict("MPI_Allreduce SUM (200000 long long), MAX (int), SUM (double)");
}

/* Block j that rank r sends to rank j: value (r << 20) + (j << 10) + i. */
static void check_alltoall(void)
{
	static const int counts[] = { 1, 1000, 40000 };

	for (int k = 0; k < 3; k++) {
		int c = counts[k];
		int *tx = xmalloc((size_t)c * nranks * sizeof(int));
		int *rx = xmalloc((size_t)c * nranks * sizeof(int));

		for (int j = 0; j < nranks; j++)
			for (int i = 0; i < c; i++)
				tx[j * c + i] = (rank << 20) + (j << 10) + (i & 1023);
		memset(rx, 0xff, (size_t)c * nranks * sizeof(int));
		MPI_Alltoall(tx, c, MPI_INT, rx, c, MPI_INT, MPI_COMM_WORLD);
		for (int r = 0; r < nranks; r++)
			for (int i = 0; i < c; i++)
				if (rx[r * c + i] != (r << 20) + (rank << 10) + (i & 1023)) {
					detail("Alltoall %d ints: element %d of rank %d's block is %d",
					       c, i, r, rx[r * c + i]);
					r = nranks;
					break;
				}
		free(tx);
		free(rx);
	}
	verdict("MPI_Alltoall of 1, 1000 and 40000 ints per rank");
}

/* Rank victim dies mid-run; rank 0 is left in a receive from it. */
static int die(int victim)
{
	char b[1024];

	if (victim <= 0 || victim >= nranks) {
		if (rank == 0)
			fprintf(stderr, "mpi_check: --die wants a rank from 1 to %d\n", nranks - 1);
		MPI_Finalize();
		return 2;
	}
	/* a first exchange, so that the ranks are past their connections */
	if (rank == 0) {
		MPI_Recv(b, sizeof(b), MPI_BYTE, victim, 90, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		printf("# mpi_check: rank 0 waits for rank %d, which dies\n", victim);
		fflush(stdout);
		MPI_Recv(b, sizeof(b), MPI_BYTE, victim, 91, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		printf("not ok - rank 0 received a message from a dead rank\n");
	} else if (rank == victim) {
		memset(b, 1, sizeof(b));
		MPI_Send(b, sizeof(b), MPI_BYTE, 0, 90, MPI_COMM_WORLD);
		kill(getpid(), SIGKILL);
	}
	MPI_Finalize();
	return 1;
}

int main(int argc, char **argv)
{
	size_t max = 4u << 20;
	int victim = -1;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max") && i + 1 < argc) {
			max = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--die") && i + 1 < argc) {
			victim = atoi(argv[++i]);
		} else {
			if (rank == 0)
				fprintf(stderr, "usage: mpi_check [--max BYTES | --die RANK]\n");
			MPI_Finalize();
			return 2;
		}
	}
	if (nranks < 2) {
		if (rank == 0)
			fprintf(stderr, "mpi_check: needs at least 2 ranks\n");
		MPI_Finalize();
		return 2;
	}
	if (victim >= 0)
		return die(victim);
	if (rank == 0) {
		printf("# mpi_check: %d ranks, point-to-point up to %zu bytes\n", nranks, max);
		fflush(stdout);
	}
	check_sweep(max);
	check_any();
	check_probe();
	check_issend();
	check_cancel();
	check_barrier();
	check_bcast();
	check_allreduce();
	check_alltoall();
	if (rank == 0)
		printf("mpi_check: %d check(s) failed\n", total_fail);
	MPI_Finalize();
	return total_fail ? 1 : 0;
}
