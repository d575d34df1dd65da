// Look up existing cloud phones on Alibaba Cloud Phone (eds-aic) and Huawei Cloud KooPhone.
package cloudphone
