/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A circular doubly-linked list with the links inside the elements, so
 * that a request moves between queues without allocating.
 */
#ifndef OMX_LIST_H
#define OMX_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct omx_list {
	struct omx_list *next, *prev;
};

#define omx_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static inline void omx_list_init(struct omx_list *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool omx_list_empty(const struct omx_list *head)
{
	return head->next == head;
}

static inline void omx_list_add_tail(struct omx_list *item, struct omx_list *head)
{
	item->prev = head->prev;
	item->next = head;
	head->prev->next = item;
	head->prev = item;
}

/* Unlinks @item and leaves it self-linked, so unlinking twice is harmless. */
static inline void omx_list_del(struct omx_list *item)
{
	item->prev->next = item->next;
	item->next->prev = item->prev;
	omx_list_init(item);
}

#define omx_list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif /* OMX_LIST_H */
