package api

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// statuses maps each models error code to its HTTP status: the one place
// where that mapping lives.
var statuses = map[string]int{
	models.EBADREQUEST:   http.StatusBadRequest,
	models.EUNAUTHORIZED: http.StatusUnauthorized,
	models.EFORBIDDEN:    http.StatusForbidden,
	models.ENOTFOUND:     http.StatusNotFound,
	models.ECONFLICT:     http.StatusConflict,
	models.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	models.EINVALID:      http.StatusUnprocessableEntity,
	models.ERATELIMIT:    http.StatusTooManyRequests,
	models.EUNAVAILABLE:  http.StatusServiceUnavailable,
	models.EINTERNAL:     http.StatusInternalServerError,
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// StatusOf returns the HTTP status for err.
func StatusOf(err error) int {
	if s, ok := statuses[models.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// writeError writes err as JSON and aborts the chain. Internal errors are
// logged here, once, without personal data (only the error text, which the
// data layer keeps free of values), and shown as a generic message.
func (s *Server) writeError(c *gin.Context, err error) {
	status := StatusOf(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(c.Request.Context(), "internal error",
			slog.String("request_id", requestID(c)), slog.String("route", c.FullPath()), slog.Any("error", err))
	}
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{
		Code:    errorCodeOrInternal(err),
		Message: models.ErrorMessage(err),
		Fields:  models.ErrorFields(err),
	}})
}

func errorCodeOrInternal(err error) string {
	if code := models.ErrorCode(err); code != "" {
		return code
	}
	return models.EINTERNAL
}
