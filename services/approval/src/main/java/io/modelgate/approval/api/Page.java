package io.modelgate.approval.api;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param total how many items match in all
 * @param page zero-based page number
 * @param size page size asked for
 */
public record Page<T>(List<T> items, long total, int page, int size) {
}
