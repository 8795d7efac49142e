// Command bareapi is the bare-stack anchor of the benchmark: the spike API
// of research/perf-anchors.md (rows 3c/3r) that reached 0.56x `pgbench -S`
// on the machine where the anchors were measured. Gin in release mode with
// only gin.Recovery(), GORM with its default config (logger silenced) on
// gorm.io/driver/postgres (pgx), a database/sql pool of 16 connections, and
// one route, GET /employments/:id, reading one row of a 100,000-row table
// (id, name, mission_id, status, next_due_at; 150 missions) and answering
// it as JSON. No middleware, no authentication, no logging, no metrics:
// what our GET of one record costs beyond it is the registry's own.
//
// bench/cmd/benchrun starts it on a scratch database and loads it with
// bench/cmd/load -scenario bare-get at the same connections as `pdw serve`.
//
//	bareapi -db postgres://postgres@127.0.0.1:5432/pdw_bench_bare -addr 127.0.0.1:8090 -rows 100000
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Employment is the anchor's row.
type Employment struct {
	ID        int64     `json:"id" gorm:"primaryKey"`
	Name      string    `json:"name"`
	MissionID int64     `json:"mission_id"`
	Status    string    `json:"status"`
	NextDueAt time.Time `json:"next_due_at"`
}

func main() {
	dbURL := flag.String("db", "", "PostgreSQL URL of a scratch database (its table employments is created and filled when empty)")
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	rows := flag.Int("rows", 100000, "rows of the table")
	flag.Parse()
	if *dbURL == "" {
		log.Fatal("bareapi: -db is required")
	}
	db, err := gorm.Open(postgres.Open(*dbURL), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		log.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		log.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	if err := fill(db, *rows); err != nil {
		log.Fatal("bareapi: ", err)
	}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/employments/:id", func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad id"})
			return
		}
		var e Employment
		if err := db.WithContext(c.Request.Context()).First(&e, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
				return
			}
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
			return
		}
		c.JSON(http.StatusOK, e)
	})
	fmt.Fprintf(os.Stderr, "bareapi: serving %d rows on %s\n", *rows, *addr)
	log.Fatal(http.ListenAndServe(*addr, r))
}

// fill creates the table and its rows unless they are there (the
// anchor's 150 missions, ids 1..rows).
func fill(db *gorm.DB, rows int) error {
	if err := db.AutoMigrate(&Employment{}); err != nil {
		return err
	}
	var n int64
	if err := db.Model(&Employment{}).Count(&n).Error; err != nil {
		return err
	}
	if n >= int64(rows) {
		return nil
	}
	if err := db.Exec("TRUNCATE employments").Error; err != nil {
		return err
	}
	return db.Exec(`INSERT INTO employments (id, name, mission_id, status, next_due_at)
		SELECT g, 'Employment ' || g, 1 + g % 150, (ARRAY['approved','notified','ended'])[1 + g % 3],
		       timestamptz '2026-01-01' + g * interval '1 minute'
		FROM generate_series(1, ?) AS g`, rows).Error
}
