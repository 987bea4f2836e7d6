// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mpi_alltoall [--max BYTES] [--budget BYTES]: time MPI_Alltoall over a
 * sweep of block sizes (bytes each rank sends to each other rank), 64 B
 * and every power of 4 above it up to --max (default 1 MiB).  Each size
 * runs as many times as fit in --budget bytes sent per rank (default
 * 32 MiB; at least 3, at most 200) after one warm-up; the time of a
 * size is the slowest rank's.  The received blocks of the last call are
 * checked.  Prints on rank 0, one line per size:
 *   alltoall,RANKS,BYTES,CALLS,usec_per_call,MBps_per_rank
 * where MB/s is what each rank sent to the others (10^6 bytes/s).
 * Exits 1 on a wrong byte.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t pattern(int from, int to, size_t i)
{
	return (uint8_t)(from * 31 + to * 7 + i);
}

int main(int argc, char **argv)
{
	size_t max = 1 << 20, budget = 32u << 20;
	int rank, nranks, bad = 0, allbad;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max") && i + 1 < argc) {
			max = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--budget") && i + 1 < argc) {
			budget = strtoull(argv[++i], NULL, 0);
		} else {
			if (!rank)
				fprintf(stderr, "usage: mpi_alltoall [--max BYTES] [--budget BYTES]\n");
			MPI_Abort(MPI_COMM_WORLD, 2);
		}
	}
	uint8_t *sbuf = malloc(max * nranks), *rbuf = malloc(max * nranks);

	if (!sbuf || !rbuf) {
		fprintf(stderr, "mpi_alltoall: out of memory\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	for (size_t size = 64; size <= max; size *= 4) {
		size_t per_call = size * (nranks - 1);
		int calls = (int)(budget / (per_call ? per_call : 1));
		double t0, dt, slowest;

		calls = calls < 3 ? 3 : calls > 200 ? 200 : calls;
		for (int to = 0; to < nranks; to++)
			for (size_t i = 0; i < size; i++)
				sbuf[to * size + i] = pattern(rank, to, i);
		MPI_Alltoall(sbuf, (int)size, MPI_BYTE, rbuf, (int)size, MPI_BYTE, MPI_COMM_WORLD);
		MPI_Barrier(MPI_COMM_WORLD);
		t0 = MPI_Wtime();
		for (int c = 0; c < calls; c++)
			MPI_Alltoall(sbuf, (int)size, MPI_BYTE, rbuf, (int)size, MPI_BYTE,
				     MPI_COMM_WORLD);
		dt = MPI_Wtime() - t0;
		MPI_Reduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
		for (int from = 0; from < nranks; from++)
			for (size_t i = 0; i < size; i++)
				if (rbuf[from * size + i] != pattern(from, rank, i)) {
					if (!bad)
						fprintf(stderr, "mpi_alltoall: rank %d: byte %zu from rank %d wrong at %zu B\n",
							rank, i, from, size);
					bad = 1;
				}
		if (!rank)
			printf("alltoall,%d,%zu,%d,%.1f,%.2f\n", nranks, size, calls,
			       slowest / calls * 1e6, per_call * calls / slowest / 1e6);
	}
	MPI_Allreduce(&bad, &allbad, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	free(sbuf);
	free(rbuf);
	MPI_Finalize();
	return allbad ? 1 : 0;
}
