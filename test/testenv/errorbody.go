package testenv

// NestedErrorBody is an error answer in the ErrorResponse/Errors/Error
// shape, which moto sends for its signature and authentication errors,
// with the message in CDATA. botocore reads it as it reads STS's own.
func NestedErrorBody(code, message string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse>
  <Errors>
    <Error>
      <Code>` + code + `</Code>
      <Message><![CDATA[` + message + `]]></Message>
    </Error>
  </Errors>
  <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>
</ErrorResponse>`)
}
