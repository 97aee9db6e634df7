package io.modelgate.registrysync.client;

/** What a manifest HEAD tells: digest, media type and size. */
public record Descriptor(String digest, String mediaType, long size) {
}
