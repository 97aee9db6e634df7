package io.modelgate.registrysync.client;

/** A manifest or blob as fetched: its bytes, media type and digest. */
public record Document(byte[] body, String mediaType, String digest) {
}
