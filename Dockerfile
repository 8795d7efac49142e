# syntax=docker/dockerfile:1
# PDW Registry: one static binary (CGO off; migrations, fonts, texts and
# presets are embedded; time zones via -tags timetzdata) on a distroless
# base that runs as a non-root user.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
# fpdf is a patched copy (go.mod replace): its go.mod is needed to download.
COPY third_party/fpdf/go.mod third_party/fpdf/go.sum ./third_party/fpdf/
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -tags timetzdata -ldflags="-s -w" -o /out/pdw ./cmd/pdw \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pdw /usr/local/bin/pdw
# uid/gid 65532 (nonroot); the SQLite file, if used, lives in /data
# (owned by nonroot, so that a volume mounted there starts writable).
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
USER nonroot:nonroot
ENV PDW_HTTP_ADDR=0.0.0.0:8080 \
    PDW_DATABASE_URL=/data/pdw.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pdw"]
CMD ["serve"]
